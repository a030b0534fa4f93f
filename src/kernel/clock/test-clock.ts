import { InvariantError } from '../../core/errors.js';
import { UnixMicros } from '../../core/time.js';
import type { TimeEvent } from '../messages.js';
import type { Clock, TimeEventHandler, TimerOptions } from './clock.js';
import { checkAlert, firstFireTime } from './clock.js';

interface SimTimer {
  readonly name: string;
  readonly callback: TimeEventHandler;
  /** 0 for a one-shot alert. */
  readonly interval: number;
  readonly stop: number;
  /** Creation order: breaks ties between timers due at the same time. */
  readonly seq: number;
  next: number;
  cancelled: boolean;
}

function before(a: SimTimer, b: SimTimer): boolean {
  return a.next < b.next || (a.next === b.next && a.seq < b.seq);
}

/** Binary min-heap on (next, seq). Cancelled timers stay in it until popped (lazy deletion). */
class TimerHeap {
  private readonly items: SimTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): SimTimer | undefined {
    return this.items[0];
  }

  push(t: SimTimer): void {
    const a = this.items;
    let i = a.push(t) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): SimTimer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/**
 * Simulated time (NautilusTrader's TestClock): time moves only through {@link advanceTo}, which fires every
 * due timer in time order, ties in creation order, with `now()` equal to each event's time while its
 * callback runs. The same inputs always give the same sequence of events, which backtests rely on.
 */
export class TestClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<string, SimTimer>();
  private readonly heap = new TimerHeap();
  private cancelledInHeap = 0;

  constructor(start: UnixMicros = UnixMicros.unsafe(0)) {
    this.time = UnixMicros.of(start);
  }

  now(): UnixMicros {
    return this.time as UnixMicros;
  }

  setTimer(name: string, intervalMicros: number, callback: TimeEventHandler, options?: TimerOptions): void {
    const first = firstFireTime(name, intervalMicros, this.now(), options, this.timers.has(name));
    this.add({ name, callback, interval: intervalMicros, stop: options?.stopMicros ?? Infinity, seq: this.seq++, next: first, cancelled: false });
  }

  setTimeAlert(name: string, atMicros: UnixMicros, callback: TimeEventHandler): void {
    checkAlert(name, atMicros, this.timers.has(name));
    this.add({ name, callback, interval: 0, stop: atMicros, seq: this.seq++, next: atMicros, cancelled: false });
  }

  private add(t: SimTimer): void {
    this.timers.set(t.name, t);
    this.heap.push(t);
  }

  cancelTimer(name: string): boolean {
    const t = this.timers.get(name);
    if (t === undefined) return false;
    t.cancelled = true;
    this.timers.delete(name);
    // Lazy deletion would let a clock that never advances (request timeouts that are always answered)
    // grow its heap without bound; rebuild once most of it is dead.
    if (++this.cancelledInHeap > 32 && this.cancelledInHeap * 2 > this.heap.size) this.compact();
    return true;
  }

  cancelTimers(): void {
    for (const t of this.timers.values()) t.cancelled = true;
    this.timers.clear();
    this.heap.clear();
    this.cancelledInHeap = 0;
  }

  /** Number of entries in the timer heap, cancelled ones included (for tests of the compaction). */
  get heapSize(): number {
    return this.heap.size;
  }

  private compact(): void {
    this.heap.clear();
    for (const t of this.timers.values()) this.heap.push(t);
    this.cancelledInHeap = 0;
  }

  timerNames(): string[] {
    return [...this.timers.values()].sort((a, b) => a.seq - b.seq).map((t) => t.name);
  }

  nextTimeMicros(name: string): UnixMicros | undefined {
    return this.timers.get(name)?.next as UnixMicros | undefined;
  }

  /** Time of the earliest pending event, so a backtest can interleave timers with data. */
  nextEventMicros(): UnixMicros | undefined {
    this.dropCancelled();
    return this.heap.peek()?.next as UnixMicros | undefined;
  }

  /**
   * Moves time to `to`, firing every timer due at or before it, and returns the events in the order they
   * fired. Timers set or cancelled by a callback take effect within the same advance.
   * @throws InvariantError when `to` is earlier than now: simulated time never runs backwards.
   */
  advanceTo(to: UnixMicros): TimeEvent[] {
    if (!Number.isSafeInteger(to)) throw new InvariantError(`clock time must be an integer of microseconds: ${to}`);
    if (to < this.time) throw new InvariantError(`time cannot move backwards: now ${this.time}, asked for ${to}`);
    const fired: TimeEvent[] = [];
    for (;;) {
      this.dropCancelled();
      const t = this.heap.peek();
      if (t === undefined || t.next > to) break;
      this.heap.pop();
      const due = t.next;
      // An alert set in the past fires late rather than moving time back.
      if (due > this.time) this.time = due;
      const event: TimeEvent = { type: 'time_event', name: t.name, tsEvent: due as UnixMicros, tsInit: this.time as UnixMicros };
      // Reschedule before the callback so the callback sees the true next time and may cancel the timer.
      if (t.interval > 0 && due + t.interval <= t.stop) {
        t.next = due + t.interval;
        this.heap.push(t);
      } else {
        this.timers.delete(t.name);
      }
      fired.push(event);
      t.callback(event);
    }
    this.time = to;
    return fired;
  }

  /** {@link advanceTo} `now() + deltaMicros`. */
  advanceBy(deltaMicros: number): TimeEvent[] {
    return this.advanceTo((this.time + deltaMicros) as UnixMicros);
  }

  private dropCancelled(): void {
    let t = this.heap.peek();
    while (t !== undefined && t.cancelled) {
      this.heap.pop();
      this.cancelledInHeap--;
      t = this.heap.peek();
    }
  }
}

/** The name used in backtests; the same class. */
export { TestClock as SimulatedClock };
