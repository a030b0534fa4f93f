import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { UnixMicros } from '../../core/time.js';
import { TestClock } from '../clock/test-clock.js';
import type { HandlerFailed } from '../messages.js';
import { topics } from '../topics.js';
import { InProcessBus } from './in-process-bus.js';
import { describeMessageBusContract } from './testing/bus-contract.js';
import { Topic, TopicError } from './topic.js';

describeMessageBusContract('InProcessBus', (clock) => new InProcessBus({ clock }));

const T = Topic.parse<number>;
const P = Topic.pattern<number>;

function newBus(onHandlerError?: (f: HandlerFailed) => void, maxCachedTopics?: number): InProcessBus {
  return new InProcessBus({ clock: new TestClock(UnixMicros.unsafe(0)), onHandlerError, maxCachedTopics });
}

describe('InProcessBus', () => {
  it('dispatches synchronously, before publish returns', () => {
    const bus = newBus();
    let got = 0;
    bus.subscribe(T('s'), (m) => (got = m));
    bus.publish(T('s'), 7);
    expect(got).toBe(7);
  });

  it('orders handlers by priority across different patterns too', () => {
    const bus = newBus();
    const got: string[] = [];
    bus.subscribe(T('p.q'), () => got.push('exact'));
    bus.subscribe(P('p.>'), () => got.push('tail-high'), { priority: 5 });
    bus.subscribe(P('*.q'), () => got.push('star-low'), { priority: -5 });
    bus.subscribe(P('p.*'), () => got.push('star'));
    bus.publish(T('p.q'), 1);
    expect(got).toEqual(['tail-high', 'exact', 'star', 'star-low']);
  });

  it('shares requests round-robin among responders of one endpoint', async () => {
    const bus = newBus();
    const ep = topics.endpoint<null, string>('svc', 'who');
    bus.respond(ep, () => 'r1');
    bus.respond(ep, () => 'r2');
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await bus.request(ep, null));
    expect(answers).toEqual(['r1', 'r2', 'r1', 'r2']);
  });

  it('knows exactly whether a topic has subscribers', () => {
    const bus = newBus();
    expect(bus.hasSubscribers(T('h.x'))).toBe(false);
    const s = bus.subscribe(P('h.*'), () => {});
    expect(bus.hasSubscribers(T('h.x'))).toBe(true);
    expect(bus.hasSubscribers(T('h.x.y'))).toBe(false);
    s.unsubscribe();
    expect(bus.hasSubscribers(T('h.x'))).toBe(false);
  });

  it('skips a handler unsubscribed by an earlier handler during the same dispatch', () => {
    const bus = newBus();
    const got: string[] = [];
    const b = { sub: undefined as undefined | { unsubscribe(): void } };
    bus.subscribe(T('x'), (m) => {
      got.push(`a${m}`);
      b.sub?.unsubscribe();
    });
    b.sub = bus.subscribe(T('x'), (m) => got.push(`b${m}`));
    bus.subscribe(T('x'), (m) => got.push(`c${m}`));
    bus.publish(T('x'), 1);
    bus.publish(T('x'), 2);
    expect(got).toEqual(['a1', 'c1', 'a2', 'c2']);
  });

  it('lets a handler unsubscribe itself and subscribe others; new ones get the next message', () => {
    const bus = newBus();
    const got: string[] = [];
    const self = bus.subscribe(P('y.*'), (m) => {
      got.push(`once${m}`);
      self.unsubscribe();
      bus.subscribe(T('y.z'), (n) => got.push(`late${n}`));
    });
    bus.publish(T('y.z'), 1);
    bus.publish(T('y.z'), 2);
    expect(got).toEqual(['once1', 'late2']);
  });

  it('invalidates cached resolutions of matching topics only', () => {
    const bus = newBus();
    const got: string[] = [];
    bus.publish(T('a.1'), 0);
    bus.publish(T('b.1'), 0);
    expect(bus.stats().cachedTopics).toBe(2);
    const s = bus.subscribe(P('a.*'), (m, t) => got.push(`${t}:${m}`));
    expect(bus.stats().cachedTopics).toBe(1);
    bus.publish(T('a.1'), 1);
    bus.publish(T('b.1'), 1);
    s.unsubscribe();
    bus.publish(T('a.1'), 2);
    expect(got).toEqual(['a.1:1']);
    expect(bus.stats()).toMatchObject({ published: 5, subscriptions: 0 });
  });

  it('bounds the topic cache', () => {
    const bus = newBus(undefined, 10);
    const got: number[] = [];
    bus.subscribe(P('n.*'), (m) => got.push(m));
    for (let i = 0; i < 100; i++) bus.publish(T(`n.${i}`), i);
    expect(bus.stats().cachedTopics).toBeLessThanOrEqual(10);
    expect(got).toHaveLength(100);
  });

  it('rejects invalid topics and priorities', () => {
    const bus = newBus();
    expect(() => bus.publish('a..b' as never, 1)).toThrow(TopicError);
    expect(() => bus.publish('a.*' as never, 1)).toThrow(/wildcards/);
    expect(() => bus.subscribe('a.>.b' as never, () => {})).toThrow(TopicError);
    expect(() => bus.subscribe(T('a'), () => {}, { priority: Number.NaN })).toThrow(RangeError);
    expect(() => bus.respond('svc.*' as never, () => 1)).toThrow(/wildcards/);
  });

  it('reports failures to the callback, and does not loop when an error-topic handler throws', () => {
    const onError = vi.fn<(f: HandlerFailed) => void>();
    const bus = newBus(onError);
    bus.subscribe(topics.busErrors(), () => {
      throw new Error('error handler bug');
    });
    bus.subscribe(T('z'), () => {
      throw new Error('first');
    });
    bus.publish(T('z'), 1);
    expect(onError.mock.calls.map(([f]) => [f.topic, (f.error as Error).message])).toEqual([
      ['z', 'first'],
      ['system.bus.handler_failed', 'error handler bug'],
    ]);
    expect(bus.stats().handlerErrors).toBe(2);
  });

  it('survives a throwing error callback', () => {
    const bus = newBus(() => {
      throw new Error('callback bug');
    });
    const got: number[] = [];
    bus.subscribe(T('q'), () => {
      throw new Error('x');
    });
    bus.subscribe(T('q'), (m) => got.push(m));
    bus.publish(T('q'), 1);
    expect(got).toEqual([1]);
  });

  it('counts errors of responders and resolves requests without timers when answered synchronously', async () => {
    const clock = new TestClock(UnixMicros.unsafe(0));
    const bus = new InProcessBus({ clock });
    const ep = topics.endpoint<number, number>('svc', 'bad');
    const r = bus.respond(ep, () => {
      throw new Error('no');
    });
    await expect(bus.request(ep, 1)).rejects.toThrow(/no/);
    expect(r.errorCount).toBe(1);
    expect(r.name).toBe('svc.svc.bad');
    const ok = topics.endpoint<number, number>('svc', 'ok');
    bus.respond(ok, (x) => x);
    await bus.request(ok, 1);
    expect(clock.timerNames()).toEqual([]);
    const slow = topics.endpoint<number, number>('svc', 'slow');
    bus.respond(slow, async (x) => x);
    expect(await bus.request(slow, 3, { timeoutMicros: 100 })).toBe(3);
    // One shared alert covers all pending requests; it finds nothing expired and is not re-armed.
    expect(clock.timerNames()).toHaveLength(1);
    clock.advanceTo(UnixMicros.unsafe(100));
    expect(clock.timerNames()).toEqual([]);
    await expect(bus.request(slow, 1, { timeoutMicros: 0 })).rejects.toThrow(RangeError);
  });

  it('times out each pending request at its own deadline with one shared clock alert', async () => {
    const clock = new TestClock(UnixMicros.unsafe(0));
    const bus = new InProcessBus({ clock });
    const never = topics.endpoint<number, number>('svc', 'never');
    bus.respond(never, () => new Promise<number>(() => {}));
    const outcomes: string[] = [];
    const track = (label: string, p: Promise<number>): void => {
      p.catch((e: Error) => outcomes.push(`${label}@${clock.now()}:${e.name}`));
    };
    track('long', bus.request(never, 1, { timeoutMicros: 300 }));
    track('short', bus.request(never, 2, { timeoutMicros: 100 }));
    track('mid', bus.request(never, 3, { timeoutMicros: 200 }));
    expect(clock.timerNames()).toHaveLength(1);
    for (const t of [99, 100, 150, 200, 299, 300]) {
      clock.advanceTo(UnixMicros.unsafe(t));
      await new Promise((r) => setImmediate(r));
    }
    expect(outcomes).toEqual(['short@100:RequestTimeoutError', 'mid@200:RequestTimeoutError', 'long@300:RequestTimeoutError']);
    expect(clock.timerNames()).toEqual([]);
    track('closed', bus.request(never, 4));
    await bus.close();
    await new Promise((r) => setImmediate(r));
    expect(outcomes.at(-1)).toBe('closed@300:BusClosedError');
    expect(clock.timerNames()).toEqual([]);
  });
});

/** NATS matching written independently of topic.ts: the pattern becomes a regular expression. */
function referenceMatch(pattern: string, topic: string): boolean {
  const re = pattern
    .split('.')
    .map((t) => (t === '*' ? '[^.]+' : t === '>' ? '[^.]+(\\.[^.]+)*' : t.replace(/[^A-Za-z0-9]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${re}$`).test(topic);
}

describe('InProcessBus against a reference model', () => {
  const token = fc.constantFrom('a', 'b', 'c');
  const topicArb = fc.array(token, { minLength: 1, maxLength: 3 }).map((ts) => ts.join('.'));
  const patternArb = fc
    .array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 3 })
    .chain((ts) => fc.boolean().map((tail) => (tail ? [...ts.slice(0, -1), '>'] : ts).join('.')));
  const op = fc.oneof(
    fc.record({ kind: fc.constant('sub' as const), pattern: patternArb, priority: fc.integer({ min: -1, max: 1 }) }),
    fc.record({ kind: fc.constant('unsub' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('pub' as const), topic: topicArb }),
  );

  it('delivers exactly what naive matching over the live subscriptions delivers, in priority then subscription order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const bus = newBus();
        const got: string[] = [];
        const live: { id: number; pattern: string; priority: number; sub: { unsubscribe(): void } }[] = [];
        const expected: string[] = [];
        let next = 0;
        let msg = 0;
        for (const o of ops) {
          if (o.kind === 'sub') {
            const id = next++;
            const sub = bus.subscribe(P(o.pattern), (m, t) => got.push(`${id}:${t}:${m}`), { priority: o.priority });
            live.push({ id, pattern: o.pattern, priority: o.priority, sub });
          } else if (o.kind === 'unsub') {
            if (live.length === 0) continue;
            const [victim] = live.splice(o.index % live.length, 1);
            victim.sub.unsubscribe();
          } else {
            const m = msg++;
            const receivers = live.filter((l) => referenceMatch(l.pattern, o.topic)).sort((x, y) => y.priority - x.priority || x.id - y.id);
            for (const r of receivers) expected.push(`${r.id}:${o.topic}:${m}`);
            bus.publish(T(o.topic), m);
          }
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
