import type { UnixMicros } from '../../core/time.js';
import type { TimeEvent } from '../messages.js';
import type { Clock, TimeEventHandler, TimerOptions } from './clock.js';
import { checkAlert, firstFireTime } from './clock.js';

// setTimeout stores its delay in a signed 32-bit integer of milliseconds; longer waits are chained.
const MAX_DELAY_MS = 2_147_483_647;

interface LiveTimer {
  readonly name: string;
  readonly callback: TimeEventHandler;
  readonly interval: number;
  readonly stop: number;
  next: number;
  handle: ReturnType<typeof setTimeout> | undefined;
}

export interface LiveClockOptions {
  /** When false, pending timers do not keep the process alive (Node's `unref`). Default true. */
  readonly keepAlive?: boolean;
}

/**
 * Wall-clock time with microsecond resolution. This is the only file in the kernel allowed to read the wall
 * clock or use setTimeout (the lint rule exempts it); everything else gets a Clock.
 *
 * `now()` is `performance.timeOrigin + performance.now()`: the monotonic clock anchored once to the Unix
 * epoch, so it does not jump when the system clock is adjusted, and it is clamped to never decrease.
 */
export class LiveClock implements Clock {
  private readonly originMicros = Math.round(performance.timeOrigin * 1000);
  private last = 0;
  private readonly timers = new Map<string, LiveTimer>();
  private readonly keepAlive: boolean;

  constructor(options: LiveClockOptions = {}) {
    this.keepAlive = options.keepAlive ?? true;
  }

  now(): UnixMicros {
    const t = this.originMicros + Math.floor(performance.now() * 1000);
    if (t > this.last) this.last = t;
    return this.last as UnixMicros;
  }

  setTimer(name: string, intervalMicros: number, callback: TimeEventHandler, options?: TimerOptions): void {
    const first = firstFireTime(name, intervalMicros, this.now(), options, this.timers.has(name));
    this.add({ name, callback, interval: intervalMicros, stop: options?.stopMicros ?? Infinity, next: first, handle: undefined });
  }

  setTimeAlert(name: string, atMicros: UnixMicros, callback: TimeEventHandler): void {
    checkAlert(name, atMicros, this.timers.has(name));
    this.add({ name, callback, interval: 0, stop: atMicros, next: atMicros, handle: undefined });
  }

  cancelTimer(name: string): boolean {
    const t = this.timers.get(name);
    if (t === undefined) return false;
    clearTimeout(t.handle);
    this.timers.delete(name);
    return true;
  }

  cancelTimers(): void {
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
  }

  timerNames(): string[] {
    return [...this.timers.keys()];
  }

  nextTimeMicros(name: string): UnixMicros | undefined {
    return this.timers.get(name)?.next as UnixMicros | undefined;
  }

  private add(t: LiveTimer): void {
    this.timers.set(t.name, t);
    this.arm(t);
  }

  private arm(t: LiveTimer): void {
    const delayMs = Math.max(0, Math.ceil((t.next - this.now()) / 1000));
    t.handle = setTimeout(() => this.fire(t), Math.min(delayMs, MAX_DELAY_MS));
    if (!this.keepAlive) t.handle.unref();
  }

  private fire(t: LiveTimer): void {
    if (this.timers.get(t.name) !== t) return; // cancelled (and perhaps replaced) after the callback was queued
    const now = this.now();
    // setTimeout has millisecond granularity and chains long waits: never deliver an event before its time.
    if (now < t.next) {
      this.arm(t);
      return;
    }
    const event: TimeEvent = { type: 'time_event', name: t.name, tsEvent: t.next as UnixMicros, tsInit: now };
    if (t.interval > 0 && t.next + t.interval <= t.stop) {
      // Scheduled from the previous due time, not from now, so a periodic timer does not drift.
      t.next += t.interval;
      this.arm(t);
    } else {
      this.timers.delete(t.name);
    }
    t.callback(event);
  }
}

