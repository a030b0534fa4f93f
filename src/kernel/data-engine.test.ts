import { describe, expect, it } from 'vitest';
import type { Bar, MarketData } from '../core/data.js';
import { UnixMicros } from '../core/time.js';
import { TimeBarAggregator } from '../compute/bars/time-bars.js';
import { InProcessBus } from './bus/in-process-bus.js';
import { Cache } from './cache.js';
import { TestClock } from './clock/test-clock.js';
import { ComponentNotRunningError } from './component.js';
import type { DataProcessor } from './data-engine.js';
import { DataEngine } from './data-engine.js';
import type { HandlerFailed } from './messages.js';
import { BTC, ETH, M1, quote, trade } from './testing/market-data.js';
import { topics } from './topics.js';

const MIN = 60_000_000;

function setup(timeCheckIntervalMicros?: number) {
  const clock = new TestClock(UnixMicros.unsafe(0));
  const bus = new InProcessBus({ clock });
  const cache = new Cache();
  const engine = new DataEngine({ clock, bus, cache }, { timeCheckIntervalMicros });
  engine.initialize();
  return { clock, bus, cache, engine };
}

/** The wiring the bars helper's aggregators get: completed bars re-enter the engine. */
function timeBars(engine: DataEngine): DataProcessor {
  const agg = new TimeBarAggregator({ instrumentId: BTC, spec: M1, pricePrecision: 2, sizePrecision: 1, onBar: (b) => engine.process(b) });
  return {
    handle: (d) => {
      if (d.type === 'trade') agg.handleTrade(d);
    },
    onTime: (now) => agg.onTime(now),
  };
}

describe('DataEngine', () => {
  it('caches, then publishes, then runs processors whose bars re-enter the engine', () => {
    const { bus, cache, engine } = setup();
    engine.start();
    const seen: string[] = [];
    bus.subscribe(topics.allData(), (m: MarketData, topic) => {
      const cachedBars = cache.barCount(BTC, M1);
      seen.push(`${topic} bars-in-cache=${cachedBars}`);
    });
    engine.addProcessor(BTC, timeBars(engine));
    engine.process(trade(BTC, '10.00', 1 * 1_000_000));
    engine.process(trade(BTC, '12.00', 30 * 1_000_000));
    engine.process(quote(ETH, '1', '2', 40 * 1_000_000));
    engine.process(trade(BTC, '11.00', MIN + 5));
    expect(seen).toEqual([
      'data.trade.BINANCE.BTCUSDT bars-in-cache=0',
      'data.trade.BINANCE.BTCUSDT bars-in-cache=0',
      'data.quote.COINBASE.ETH%2FUSDT bars-in-cache=0',
      'data.trade.BINANCE.BTCUSDT bars-in-cache=0',
      'data.bar.BINANCE.BTCUSDT.1m bars-in-cache=1',
    ]);
    const b = cache.bar(BTC, M1) as Bar;
    expect([b.open, b.high, b.low, b.close].map(String)).toEqual(['10.00', '12.00', '10.00', '12.00']);
    expect(b.tsOpen).toBe(0);
    expect(cache.tradeCount(BTC)).toBe(3);
    expect(engine.processed).toBe(5);
  });

  it('closes time bars from the clock through the time-check timer, and stops it on stop', () => {
    const { clock, cache, engine } = setup(1_000_000);
    engine.start();
    engine.addProcessor(BTC, timeBars(engine));
    engine.process(trade(BTC, '10.00', 5));
    clock.advanceTo(UnixMicros.unsafe(MIN + 1_000_000));
    expect(cache.barCount(BTC, M1)).toBe(1);
    engine.stop();
    expect(clock.timerNames()).toEqual([]);
  });

  it('removes processors, even from inside a processor call', () => {
    const { engine } = setup();
    engine.start();
    const calls: string[] = [];
    const removeB = engine.addProcessor(BTC, { handle: () => calls.push('b') });
    const removeA = engine.addProcessor(BTC, {
      handle: () => {
        calls.push('a');
        removeB();
      },
    });
    engine.process(trade(BTC, '1', 1));
    engine.process(trade(BTC, '1', 2));
    expect(calls).toEqual(['b', 'a', 'a']);
    removeA();
    removeA();
    expect(engine.processorCount(BTC)).toBe(0);
    engine.process(trade(BTC, '1', 3));
    expect(calls).toHaveLength(3);
  });

  it('isolates a throwing processor and reports it on the bus error topic', () => {
    const { bus, engine } = setup();
    engine.start();
    const failures: HandlerFailed[] = [];
    bus.subscribe(topics.busErrors(), (f) => failures.push(f));
    const ok: string[] = [];
    class Broken implements DataProcessor {
      handle(): void {
        throw new Error('bad trade');
      }
      onTime(): void {
        throw new Error('bad time');
      }
    }
    engine.addProcessor(BTC, new Broken());
    engine.addProcessor(BTC, { handle: (d) => ok.push(d.type) });
    engine.process(trade(BTC, '1', 1));
    engine.advanceTime(UnixMicros.unsafe(10));
    expect(ok).toEqual(['trade']);
    expect(engine.processorErrors).toBe(2);
    expect(failures.map((f) => [f.subscriber, f.pattern, (f.error as Error).message])).toEqual([
      ['Broken', BTC, 'bad trade'],
      ['Broken', BTC, 'bad time'],
    ]);
  });

  it('refuses data unless running, and reset clears the cache', () => {
    const { cache, engine } = setup();
    expect(() => engine.process(trade(BTC, '1', 1))).toThrow(ComponentNotRunningError);
    expect(() => engine.process(trade(BTC, '1', 1))).toThrow('DataEngine: cannot process market data when READY');
    engine.start();
    engine.process(trade(BTC, '1', 1));
    engine.stop();
    expect(() => engine.advanceTime(UnixMicros.unsafe(1))).toThrow(ComponentNotRunningError);
    engine.reset();
    expect(cache.tradeCount(BTC)).toBe(0);
    engine.addProcessor(BTC, { handle: () => {} });
    engine.dispose();
    expect(engine.processorCount(BTC)).toBe(0);
  });
});
