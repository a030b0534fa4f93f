import type { UnixMicros } from '../core/time.js';

/** Lifecycle states of a component (NautilusTrader's ComponentState, the subset Tradewind uses). */
export const ComponentState = {
  PreInitialized: 'PRE_INITIALIZED',
  Ready: 'READY',
  Starting: 'STARTING',
  Running: 'RUNNING',
  Stopping: 'STOPPING',
  Stopped: 'STOPPED',
  Disposed: 'DISPOSED',
  Faulted: 'FAULTED',
} as const;
export type ComponentState = (typeof ComponentState)[keyof typeof ComponentState];

/** What asks a component to change state. */
export const ComponentTrigger = {
  Initialize: 'INITIALIZE',
  Start: 'START',
  StartCompleted: 'START_COMPLETED',
  Stop: 'STOP',
  StopCompleted: 'STOP_COMPLETED',
  Reset: 'RESET',
  Dispose: 'DISPOSE',
  Fault: 'FAULT',
} as const;
export type ComponentTrigger = (typeof ComponentTrigger)[keyof typeof ComponentTrigger];

/** Published on `topics.componentStatus(id)` after every state change. */
export interface ComponentStateChanged {
  readonly type: 'component_state_changed';
  readonly componentId: string;
  readonly from: ComponentState;
  readonly state: ComponentState;
  readonly trigger: ComponentTrigger;
  /** Fault reason, when the trigger is FAULT. */
  readonly reason?: string;
  readonly tsEvent: UnixMicros;
}

/** Published on `topics.busErrors()` when a subscriber's handler throws. */
export interface HandlerFailed {
  readonly type: 'handler_failed';
  /** Topic of the message whose handling failed. */
  readonly topic: string;
  /** Pattern the failing subscription was made with. */
  readonly pattern: string;
  /** The subscription's name (given at subscribe time, or its pattern). */
  readonly subscriber: string;
  /** How many times this subscription's handler has thrown so far, this one included. */
  readonly errorCount: number;
  readonly error: unknown;
  readonly tsEvent: UnixMicros;
}

/** Fired by a clock timer or time alert: `tsEvent` is the scheduled time, `tsInit` when it was delivered. */
export interface TimeEvent {
  readonly type: 'time_event';
  readonly name: string;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}
