import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnixMicros } from '../../core/time.js';
import type { TimeEvent } from '../messages.js';
import { TimerError } from './clock.js';
import { LiveClock } from './live-clock.js';

describe('LiveClock (real time)', () => {
  it('reads the wall clock in microseconds and never goes backwards', () => {
    const clock = new LiveClock();
    const wall = Date.now() * 1000;
    const t0 = clock.now();
    expect(Number.isSafeInteger(t0)).toBe(true);
    expect(Math.abs(t0 - wall)).toBeLessThan(5_000_000);
    let prev = t0;
    let backwards = 0;
    for (let i = 0; i < 100_000; i++) {
      const t = clock.now();
      if (t < prev) backwards++;
      prev = t;
    }
    expect(backwards).toBe(0);
    expect(prev).toBeGreaterThan(t0);
  });

  it('fires a real timer no earlier than scheduled', async () => {
    const clock = new LiveClock();
    const at = UnixMicros.unsafe(clock.now() + 20_000);
    const event = await new Promise<TimeEvent>((resolve) => clock.setTimeAlert('a', at, resolve));
    expect(event.tsEvent).toBe(at);
    expect(event.tsInit).toBeGreaterThanOrEqual(at);
    expect(clock.timerNames()).toEqual([]);
  });
});

describe('LiveClock timers (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a periodic timer on schedule without drift, until stop', () => {
    const clock = new LiveClock({ keepAlive: false });
    const t0 = clock.now();
    const seen: number[] = [];
    clock.setTimer('p', 10_000, (e) => seen.push(e.tsEvent - t0), { stopMicros: UnixMicros.unsafe(t0 + 30_000) });
    expect(clock.nextTimeMicros('p')).toBe(t0 + 10_000);
    vi.advanceTimersByTime(9);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([10_000, 20_000, 30_000]);
    expect(clock.timerNames()).toEqual([]);
  });

  it('cancels timers, including from inside a callback, and rejects duplicates', () => {
    const clock = new LiveClock();
    const t0 = clock.now();
    const seen: string[] = [];
    clock.setTimer('a', 1_000, () => {
      seen.push('a');
      clock.cancelTimer('a');
    });
    clock.setTimer('b', 1_000, () => seen.push('b'));
    clock.setTimeAlert('c', UnixMicros.unsafe(t0 + 5_000), () => seen.push('c'));
    expect(() => clock.setTimer('b', 5, () => {})).toThrow(TimerError);
    expect(clock.timerNames()).toEqual(['a', 'b', 'c']);
    vi.advanceTimersByTime(3);
    expect(clock.cancelTimer('b')).toBe(true);
    expect(clock.cancelTimer('b')).toBe(false);
    vi.advanceTimersByTime(10);
    expect(seen).toEqual(['a', 'b', 'b', 'b', 'c']);
    clock.setTimer('d', 1_000, () => seen.push('d'));
    clock.cancelTimers();
    vi.advanceTimersByTime(10);
    expect(seen).toHaveLength(5);
  });

  it('chains waits longer than setTimeout allows and never delivers early', () => {
    const clock = new LiveClock();
    const at = UnixMicros.unsafe(clock.now() + 30 * 86_400_000_000); // 30 days > 2^31 ms
    let fired: TimeEvent | undefined;
    clock.setTimeAlert('far', at, (e) => (fired = e));
    vi.advanceTimersByTime(2_147_483_647);
    expect(fired).toBeUndefined();
    expect(clock.timerNames()).toEqual(['far']);
    vi.advanceTimersByTime(30 * 86_400_000 - 2_147_483_647);
    expect(fired?.tsEvent).toBe(at);
    expect(fired!.tsInit).toBeGreaterThanOrEqual(at);
  });

  it('ignores a callback queued for a timer that was replaced under the same name', () => {
    const clock = new LiveClock();
    const t0 = clock.now();
    const seen: string[] = [];
    clock.setTimeAlert('x', UnixMicros.unsafe(t0 + 1_000), () => seen.push('old'));
    clock.cancelTimer('x');
    clock.setTimeAlert('x', UnixMicros.unsafe(t0 + 2_000), () => seen.push('new'));
    vi.advanceTimersByTime(5);
    expect(seen).toEqual(['new']);
  });
});
