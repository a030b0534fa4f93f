import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BarSpec } from '../core/bar-spec.js';
import { AccountId, InstrumentId, StrategyId, Venue } from '../core/identifiers.js';
import { decodeToken, encodeToken, topics } from './topics.js';
import { Topic, TopicError, topicMatches } from './bus/topic.js';
import { InProcessBus } from './bus/in-process-bus.js';
import { TestClock } from './clock/test-clock.js';
import { quote, trade } from './testing/market-data.js';

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
const SLASH = InstrumentId.parse('BTC/USDT.COINBASE');
const DOTTED = InstrumentId.parse('ES.FUT.CME');

// A NATS subject: non-empty tokens of printable characters without '.', '*', '>' or whitespace.
const NATS_SUBJECT = /^[^.*>\s]+(\.[^.*>\s]+)*$/;

describe('topics', () => {
  it('builds market data topics as data.<kind>.<venue>.<symbol>', () => {
    expect(topics.trades(BTC)).toBe('data.trade.BINANCE.BTCUSDT');
    expect(topics.quotes(BTC)).toBe('data.quote.BINANCE.BTCUSDT');
    expect(topics.bookDeltas(BTC)).toBe('data.book.BINANCE.BTCUSDT');
    expect(topics.bookSnapshots(BTC)).toBe('data.book.BINANCE.BTCUSDT');
    expect(topics.bars(BTC, BarSpec.parse('1m'))).toBe('data.bar.BINANCE.BTCUSDT.1m');
    expect(topics.bars(BTC, BarSpec.parse('100tick-mid'))).toBe('data.bar.BINANCE.BTCUSDT.100tick-mid');
  });

  it('escapes symbols that contain token characters', () => {
    expect(topics.trades(SLASH)).toBe('data.trade.COINBASE.BTC%2FUSDT');
    expect(topics.trades(DOTTED)).toBe('data.trade.CME.ES%2EFUT');
    expect(topics.bars(BTC, BarSpec.of(0.5, 'volume'))).toBe('data.bar.BINANCE.BTCUSDT.0%2E5volume');
  });

  it('returns the same string instance for repeated calls (memoised hot-path topics)', () => {
    const spec = BarSpec.parse('5m');
    expect(Object.is(topics.trades(BTC), topics.trades(BTC))).toBe(true);
    expect(topics.bars(BTC, spec)).toBe(topics.bars(BTC, BarSpec.parse('5m')));
  });

  it('builds the other families', () => {
    const s = StrategyId.parse('ema-cross.1');
    expect(topics.predictions('lgbm', BTC)).toBe('ml.prediction.lgbm.BINANCE.BTCUSDT');
    expect(topics.orderEvents(s, BTC)).toBe('exec.order.ema-cross%2E1.BINANCE.BTCUSDT');
    expect(topics.positionEvents(s, BTC)).toBe('exec.position.ema-cross%2E1.BINANCE.BTCUSDT');
    expect(topics.accountEvents(AccountId.parse('BINANCE-001'))).toBe('exec.account.BINANCE-001');
    expect(topics.riskEvents(s)).toBe('risk.event.ema-cross%2E1');
    expect(topics.tradingState()).toBe('risk.trading_state');
    expect(topics.componentStatus('DataEngine')).toBe('system.component.DataEngine');
    expect(topics.busErrors()).toBe('system.bus.handler_failed');
    expect(topics.endpoint('data', 'instruments')).toBe('svc.data.instruments');
  });

  it('pattern builders match exactly the topics of their family', () => {
    const s = StrategyId.parse('S1');
    const bar = topics.bars(BTC, BarSpec.parse('1m'));
    expect(topicMatches(topics.allTrades(), topics.trades(SLASH))).toBe(true);
    expect(topicMatches(topics.allTrades(), topics.quotes(BTC))).toBe(false);
    expect(topicMatches(topics.tradesAt(Venue.parse('BINANCE')), topics.trades(BTC))).toBe(true);
    expect(topicMatches(topics.tradesAt(Venue.parse('BINANCE')), topics.trades(SLASH))).toBe(false);
    expect(topicMatches(topics.quotesAt(Venue.parse('BINANCE')), topics.quotes(BTC))).toBe(true);
    expect(topicMatches(topics.allQuotes(), topics.quotes(BTC))).toBe(true);
    expect(topicMatches(topics.allBooks(), topics.bookDeltas(BTC))).toBe(true);
    expect(topicMatches(topics.allBars(), bar)).toBe(true);
    expect(topicMatches(topics.barsOf(BTC), bar)).toBe(true);
    expect(topicMatches(topics.barsOf(SLASH), bar)).toBe(false);
    expect(topicMatches(topics.barsWithSpec(BarSpec.parse('1m')), bar)).toBe(true);
    expect(topicMatches(topics.barsWithSpec(BarSpec.parse('5m')), bar)).toBe(false);
    expect(topicMatches(topics.allData(), bar)).toBe(true);
    expect(topicMatches(topics.allData(), topics.orderEvents(s, BTC))).toBe(false);
    expect(topicMatches(topics.allPredictions(), topics.predictions('m', BTC))).toBe(true);
    expect(topicMatches(topics.predictionsOf('m'), topics.predictions('m', BTC))).toBe(true);
    expect(topicMatches(topics.predictionsOf('n'), topics.predictions('m', BTC))).toBe(false);
    expect(topicMatches(topics.allOrderEvents(), topics.orderEvents(s, BTC))).toBe(true);
    expect(topicMatches(topics.orderEventsOf(s), topics.orderEvents(s, BTC))).toBe(true);
    expect(topicMatches(topics.orderEventsOf(StrategyId.parse('S2')), topics.orderEvents(s, BTC))).toBe(false);
    expect(topicMatches(topics.allPositionEvents(), topics.positionEvents(s, BTC))).toBe(true);
    expect(topicMatches(topics.positionEventsOf(s), topics.positionEvents(s, BTC))).toBe(true);
    expect(topicMatches(topics.allAccountEvents(), topics.accountEvents(AccountId.parse('A')))).toBe(true);
    expect(topicMatches(topics.allRiskEvents(), topics.riskEvents(s))).toBe(true);
    expect(topicMatches(topics.allComponentStatus(), topics.componentStatus('x.y'))).toBe(true);
  });

  it('every built topic is a valid NATS subject', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_\-/:^.]{0,20}$/), fc.string({ minLength: 1, maxLength: 12 }), (sym, model) => {
        const id = InstrumentId.of(sym, 'BINANCE');
        for (const t of [topics.trades(id), topics.bars(id, BarSpec.parse('1h-bid')), topics.predictions(model, id)]) {
          expect(t).toMatch(NATS_SUBJECT);
          expect(Topic.parse(t)).toBe(t);
        }
      }),
    );
  });
});

describe('typed topics', () => {
  it('tie each topic to its message type at compile time', () => {
    const bus = new InProcessBus({ clock: new TestClock() });
    const got: string[] = [];
    bus.subscribe(topics.allData(), (m) => got.push(m.type));
    const t = trade(BTC, '1', 1);
    bus.publish(topics.trades(BTC), t);
    // @ts-expect-error a trade topic carries TradeTick, not QuoteTick
    bus.publish(topics.trades(BTC), quote(BTC, '1', '2', 1));
    // @ts-expect-error a pattern cannot be published to
    expect(() => bus.publish(topics.allTrades(), t)).toThrow(/wildcards/);
    // @ts-expect-error topics are built by the switchboard, not typed as strings
    bus.publish('data.trade.BINANCE.BTCUSDT', t);
    expect(got).toEqual(['trade', 'quote', 'trade']);
  });
});

describe('token escaping', () => {
  it('round-trips any non-empty string, including the escape character and non-ASCII', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (s) => {
        const t = encodeToken(s);
        expect(t).toMatch(/^[A-Za-z0-9_%-]+$/);
        expect(decodeToken(t)).toBe(s);
      }),
    );
    expect(encodeToken('100%')).toBe('100%25');
    expect(encodeToken('é')).toBe('%C3%A9');
  });

  it('is injective: different values never share a token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1, unit: 'binary' }), (a, b) => {
        fc.pre(a !== b);
        expect(encodeToken(a)).not.toBe(encodeToken(b));
      }),
    );
  });

  it('rejects empty, malformed and non-canonical tokens', () => {
    expect(() => encodeToken('')).toThrow(TopicError);
    expect(() => encodeToken('a\uD800')).toThrow(/well-formed/);
    expect(encodeToken('\u{1F600}')).toBe('%F0%9F%98%80');
    expect(() => decodeToken('%2')).toThrow(/bad escape/);
    expect(() => decodeToken('%2g')).toThrow(/bad escape/);
    expect(() => decodeToken('a.b')).toThrow(/unescaped/);
    expect(() => decodeToken('%41')).toThrow(/non-canonical/); // 'A' must not be escaped
    expect(() => decodeToken('%FF')).toThrow(/not UTF-8/);
  });
});
