import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvariantError } from '../../core/errors.js';
import { UnixMicros } from '../../core/time.js';
import type { TimeEvent } from '../messages.js';
import { TimerError } from './clock.js';
import { SimulatedClock, TestClock } from './test-clock.js';

const us = UnixMicros.unsafe;

function names(events: TimeEvent[]): string[] {
  return events.map((e) => `${e.name}@${e.tsEvent}`);
}

describe('TestClock', () => {
  it('starts at the given time and moves only by advanceTo', () => {
    const clock = new TestClock(us(1_000));
    expect(clock.now()).toBe(1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.advanceTo(us(5_000))).toEqual([]);
    expect(clock.now()).toBe(5_000);
    clock.advanceBy(10);
    expect(clock.now()).toBe(5_010);
    expect(SimulatedClock).toBe(TestClock);
  });

  it('throws InvariantError when asked to move backwards, and stays where it was', () => {
    const clock = new TestClock(us(100));
    expect(() => clock.advanceTo(us(99))).toThrow(InvariantError);
    expect(() => clock.advanceTo(us(100.5))).toThrow(InvariantError);
    expect(clock.now()).toBe(100);
    expect(() => new TestClock(us(-1))).toThrow();
  });

  it('fires periodic timers at start + k * interval with now() equal to the event time', () => {
    const clock = new TestClock(us(0));
    const seen: [number, number][] = [];
    clock.setTimer('t', 10, (e) => seen.push([e.tsEvent, clock.now()]));
    expect(clock.nextTimeMicros('t')).toBe(10);
    const events = clock.advanceTo(us(35));
    expect(seen).toEqual([
      [10, 10],
      [20, 20],
      [30, 30],
    ]);
    expect(events.map((e) => [e.type, e.tsEvent, e.tsInit])).toEqual([
      ['time_event', 10, 10],
      ['time_event', 20, 20],
      ['time_event', 30, 30],
    ]);
    expect(clock.now()).toBe(35);
    expect(clock.nextTimeMicros('t')).toBe(40);
  });

  it('honours start and an inclusive stop, then forgets the timer', () => {
    const clock = new TestClock(us(0));
    clock.setTimer('t', 5, () => {}, { startMicros: us(100), stopMicros: us(115) });
    expect(names(clock.advanceTo(us(200)))).toEqual(['t@105', 't@110', 't@115']);
    expect(clock.timerNames()).toEqual([]);
    expect(clock.nextTimeMicros('t')).toBeUndefined();
  });

  it('orders events by time, ties by creation order, across timers and alerts', () => {
    const clock = new TestClock(us(0));
    clock.setTimer('b', 10, () => {});
    clock.setTimeAlert('a', us(20), () => {});
    clock.setTimer('c', 5, () => {});
    clock.setTimeAlert('d', us(10), () => {});
    expect(names(clock.advanceTo(us(20)))).toEqual(['c@5', 'b@10', 'c@10', 'd@10', 'c@15', 'b@20', 'a@20', 'c@20']);
    expect(clock.timerNames()).toEqual(['b', 'c']);
  });

  it('is deterministic: the same timers give the same events however time is advanced', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ interval: fc.integer({ min: 1, max: 50 }), start: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
        (specs, steps) => {
          const build = (): TestClock => {
            const c = new TestClock(us(0));
            specs.forEach((s, i) => c.setTimer(`t${i}`, s.interval, () => {}, { startMicros: us(s.start) }));
            return c;
          };
          const oneJump = names(build().advanceTo(us(300)));
          const stepped = build();
          const events: TimeEvent[] = [];
          let t = 0;
          for (const d of steps) events.push(...stepped.advanceTo(us(Math.min(300, (t += d)))));
          events.push(...stepped.advanceTo(us(300)));
          expect(names(events)).toEqual(oneJump);
          // time order, ties by creation order (timer index)
          for (let i = 1; i < events.length; i++) {
            const a = events[i - 1];
            const b = events[i];
            expect(a.tsEvent < b.tsEvent || (a.tsEvent === b.tsEvent && Number(a.name.slice(1)) < Number(b.name.slice(1)))).toBe(true);
          }
        },
      ),
    );
  });

  it('lets a callback cancel its own timer, another timer, or set a new one during the same advance', () => {
    const clock = new TestClock(us(0));
    let selfCount = 0;
    clock.setTimer('self', 10, () => {
      if (++selfCount === 2) expect(clock.cancelTimer('self')).toBe(true);
    });
    clock.setTimer('victim', 15, () => {});
    clock.setTimeAlert('killer', us(12), () => {
      clock.cancelTimer('victim');
      clock.setTimeAlert('child', us(13), () => {});
    });
    expect(names(clock.advanceTo(us(100)))).toEqual(['self@10', 'killer@12', 'child@13', 'self@20']);
    expect(clock.timerNames()).toEqual([]);
    expect(clock.nextEventMicros()).toBeUndefined();
  });

  it('lets a one-shot callback reuse its own name', () => {
    const clock = new TestClock(us(0));
    let n = 0;
    const again = (): void => {
      if (++n < 3) clock.setTimeAlert('x', us(clock.now() + 10), again);
    };
    clock.setTimeAlert('x', us(10), again);
    expect(names(clock.advanceTo(us(100)))).toEqual(['x@10', 'x@20', 'x@30']);
  });

  it('fires an alert set in the past at the next advance without moving time back', () => {
    const clock = new TestClock(us(50));
    clock.setTimeAlert('late', us(40), () => expect(clock.now()).toBe(50));
    const [e] = clock.advanceTo(us(50));
    expect([e.tsEvent, e.tsInit]).toEqual([40, 50]);
  });

  it('cancels everything, reports the next event, and refuses bad timers', () => {
    const clock = new TestClock(us(0));
    clock.setTimer('a', 10, () => {});
    clock.setTimeAlert('b', us(7), () => {});
    expect(clock.nextEventMicros()).toBe(7);
    expect(clock.cancelTimer('b')).toBe(true);
    expect(clock.cancelTimer('b')).toBe(false);
    expect(clock.nextEventMicros()).toBe(10);
    expect(() => clock.setTimer('a', 10, () => {})).toThrow(TimerError);
    expect(() => clock.setTimeAlert('a', us(5), () => {})).toThrow(/already pending/);
    expect(() => clock.setTimer('z', 0, () => {})).toThrow(/positive integer/);
    expect(() => clock.setTimer('z', 1.5, () => {})).toThrow(/positive integer/);
    expect(() => clock.setTimer('', 1, () => {})).toThrow(/name/);
    expect(() => clock.setTimeAlert('', us(1), () => {})).toThrow(/name/);
    expect(() => clock.setTimeAlert('z', us(-5), () => {})).toThrow(/bad time/);
    expect(() => clock.setTimer('z', 10, () => {}, { startMicros: us(0), stopMicros: us(5) })).toThrow(/never fire/);
    clock.cancelTimers();
    expect(clock.timerNames()).toEqual([]);
    expect(clock.advanceTo(us(100))).toEqual([]);
  });

  it('does not accumulate cancelled timers when time never advances', () => {
    const clock = new TestClock(us(0));
    clock.setTimer('keep', 1_000, () => {});
    for (let i = 0; i < 10_000; i++) {
      clock.setTimeAlert(`r${i}`, us(500), () => {});
      clock.cancelTimer(`r${i}`);
    }
    expect(clock.heapSize).toBeLessThan(100);
    expect(names(clock.advanceTo(us(2_000)))).toEqual(['keep@1000', 'keep@2000']);
  });

  it('keeps its state consistent when a callback throws', () => {
    const clock = new TestClock(us(0));
    clock.setTimer('boom', 10, () => {
      throw new Error('boom');
    });
    expect(() => clock.advanceTo(us(25))).toThrow('boom');
    expect(clock.now()).toBe(10);
    expect(clock.nextTimeMicros('boom')).toBe(20);
  });
});
