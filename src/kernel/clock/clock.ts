import { TradewindError } from '../../core/errors.js';
import type { UnixMicros } from '../../core/time.js';
import type { TimeEvent } from '../messages.js';

export type TimeEventHandler = (event: TimeEvent) => void;

export interface TimerOptions {
  /** Time the interval counts from; defaults to now. The first event is at `startMicros + interval`. */
  readonly startMicros?: UnixMicros;
  /** Last time an event may fire (inclusive); the timer is removed after it. Unbounded when absent. */
  readonly stopMicros?: UnixMicros;
}

/**
 * The only source of time for the kernel, strategies, features and models. The live clock reads the wall
 * clock; the test clock moves only when told to, so a backtest runs the same code as live.
 *
 * Timers and time alerts share one namespace of names. A callback gets a {@link TimeEvent} whose `tsEvent`
 * is the scheduled time (never the late delivery time), so that code reacting to it behaves the same in
 * simulated and real time.
 */
export interface Clock {
  /** Current time; never decreases. */
  now(): UnixMicros;
  /** Fires `callback` every `intervalMicros`, first at start + interval, until `stopMicros` or cancellation. */
  setTimer(name: string, intervalMicros: number, callback: TimeEventHandler, options?: TimerOptions): void;
  /** Fires `callback` once at `atMicros` (as soon as possible when that is not in the future). */
  setTimeAlert(name: string, atMicros: UnixMicros, callback: TimeEventHandler): void;
  /** Cancels a timer or alert; returns false when no such name is pending. Safe inside callbacks. */
  cancelTimer(name: string): boolean;
  cancelTimers(): void;
  /** Names of pending timers and alerts, in creation order. */
  timerNames(): string[];
  /** When the named timer or alert fires next, or undefined when none is pending under that name. */
  nextTimeMicros(name: string): UnixMicros | undefined;
}

/** A timer request the clock cannot honour (duplicate name, non-positive interval, stop before first event). */
export class TimerError extends TradewindError {}

/** Checks a timer request and returns its first fire time. Shared by every clock so they agree on the rules. */
export function firstFireTime(
  name: string,
  intervalMicros: number,
  now: UnixMicros,
  options: TimerOptions | undefined,
  exists: boolean,
): UnixMicros {
  if (exists) throw new TimerError(`a timer named ${JSON.stringify(name)} is already pending`);
  if (name.length === 0) throw new TimerError('a timer needs a name');
  if (!Number.isSafeInteger(intervalMicros) || intervalMicros <= 0) {
    throw new TimerError(`timer ${JSON.stringify(name)}: interval must be a positive integer of microseconds, got ${intervalMicros}`);
  }
  const start = options?.startMicros ?? now;
  const first = (start + intervalMicros) as UnixMicros;
  const stop = options?.stopMicros;
  if (stop !== undefined && stop < first) {
    throw new TimerError(`timer ${JSON.stringify(name)}: stop ${stop} is before the first event at ${first}, so it would never fire`);
  }
  return first;
}

export function checkAlert(name: string, atMicros: number, exists: boolean): void {
  if (exists) throw new TimerError(`a timer named ${JSON.stringify(name)} is already pending`);
  if (name.length === 0) throw new TimerError('a timer needs a name');
  if (!Number.isSafeInteger(atMicros) || atMicros < 0) throw new TimerError(`alert ${JSON.stringify(name)}: bad time ${atMicros}`);
}
