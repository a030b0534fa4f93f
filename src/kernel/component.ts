import { TradewindError } from '../core/errors.js';
import type { MessageBus } from './bus/message-bus.js';
import type { Clock } from './clock/clock.js';
import { ComponentState, ComponentTrigger } from './messages.js';
import type { ComponentStateChanged } from './messages.js';
import { topics } from './topics.js';

export { ComponentState, ComponentTrigger };

const S = ComponentState;
const T = ComponentTrigger;

/**
 * The one transition table of every component (NautilusTrader's, without the transient RESUMING,
 * DEGRADING, RESETTING, DISPOSING and FAULTING states). A trigger not listed for a state is an error.
 */
export const TRANSITIONS: Readonly<Record<ComponentState, Readonly<Partial<Record<ComponentTrigger, ComponentState>>>>> = {
  [S.PreInitialized]: { [T.Initialize]: S.Ready, [T.Dispose]: S.Disposed },
  [S.Ready]: { [T.Start]: S.Starting, [T.Reset]: S.Ready, [T.Dispose]: S.Disposed, [T.Fault]: S.Faulted },
  [S.Starting]: { [T.StartCompleted]: S.Running, [T.Fault]: S.Faulted },
  [S.Running]: { [T.Stop]: S.Stopping, [T.Fault]: S.Faulted },
  [S.Stopping]: { [T.StopCompleted]: S.Stopped, [T.Fault]: S.Faulted },
  [S.Stopped]: { [T.Start]: S.Starting, [T.Reset]: S.Ready, [T.Dispose]: S.Disposed, [T.Fault]: S.Faulted },
  [S.Faulted]: { [T.Dispose]: S.Disposed },
  [S.Disposed]: {},
};

/** A trigger that the transition table does not allow in the current state. */
export class InvalidStateTransitionError extends TradewindError {
  constructor(
    readonly componentId: string,
    readonly state: ComponentState,
    readonly trigger: ComponentTrigger,
  ) {
    super(`${componentId}: cannot ${trigger} when ${state}`);
  }
}

/** A lifecycle hook (onStart, onStop, ...) threw; the component is FAULTED. */
export class ComponentFaultError extends TradewindError {
  constructor(
    readonly componentId: string,
    readonly trigger: ComponentTrigger,
    cause: unknown,
  ) {
    super(`${componentId}: ${trigger} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A component was asked to do work while not RUNNING (a wiring mistake: crash rather than drop data). */
export class ComponentNotRunningError extends TradewindError {
  constructor(
    readonly componentId: string,
    readonly state: ComponentState,
    what: string,
  ) {
    super(`${componentId}: cannot ${what} when ${state}`);
  }
}

/** The state a trigger leads to, or throws {@link InvalidStateTransitionError}. */
export function nextState(componentId: string, state: ComponentState, trigger: ComponentTrigger): ComponentState {
  const next = TRANSITIONS[state][trigger];
  if (next === undefined) throw new InvalidStateTransitionError(componentId, state, trigger);
  return next;
}

export interface ComponentContext {
  readonly clock: Clock;
  /** When given, every state change is published on `topics.componentStatus(id)`. */
  readonly bus?: MessageBus;
}

function isPromiseLike(x: unknown): x is PromiseLike<void> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Base class of engines, strategies and adapters: a checked lifecycle around overridable hooks.
 *
 * `start()` and `stop()` run their hook in STARTING and STOPPING and complete to RUNNING and STOPPED. A hook
 * may return a promise (an adapter connecting a socket): the component stays in the transient state until
 * it settles, and `start()`/`stop()` return that promise. A hook that throws or rejects faults the
 * component, calls `onFault`, and surfaces as {@link ComponentFaultError} with the cause.
 */
export abstract class Component {
  private current: ComponentState = S.PreInitialized;
  protected readonly clock: Clock;
  protected readonly bus: MessageBus | undefined;

  constructor(
    readonly id: string,
    context: ComponentContext,
  ) {
    this.clock = context.clock;
    this.bus = context.bus;
  }

  get state(): ComponentState {
    return this.current;
  }

  get isRunning(): boolean {
    return this.current === S.Running;
  }

  initialize(): void {
    this.runSync(T.Initialize, () => this.onInitialize());
  }

  start(): void | Promise<void> {
    return this.runPhase(T.Start, T.StartCompleted, () => this.onStart());
  }

  stop(): void | Promise<void> {
    return this.runPhase(T.Stop, T.StopCompleted, () => this.onStop());
  }

  /** Back to READY from READY or STOPPED, clearing what the component accumulated. */
  reset(): void {
    this.runSync(T.Reset, () => this.onReset());
  }

  /** Final: releases resources. Allowed before start, after stop, and after a fault. */
  dispose(): void {
    this.runSync(T.Dispose, () => this.onDispose());
  }

  /** Marks the component broken (an engine detecting corrupt state); only dispose is allowed afterwards. */
  fault(reason: string): void {
    this.transition(T.Fault, reason);
    this.onFault(reason);
  }

  /** Throws {@link ComponentNotRunningError} unless RUNNING. */
  protected assertRunning(what: string): void {
    if (this.current !== S.Running) throw new ComponentNotRunningError(this.id, this.current, what);
  }

  protected onInitialize(): void {}
  protected onStart(): void | Promise<void> {}
  protected onStop(): void | Promise<void> {}
  protected onReset(): void {}
  protected onDispose(): void {}
  protected onFault(_reason: string): void {}

  private runSync(trigger: ComponentTrigger, hook: () => void): void {
    const next = nextState(this.id, this.current, trigger);
    try {
      hook();
    } catch (error) {
      this.failed(trigger, error);
    }
    this.transition(trigger, undefined, next);
  }

  private runPhase(trigger: ComponentTrigger, completed: ComponentTrigger, hook: () => void | Promise<void>): void | Promise<void> {
    this.transition(trigger);
    let result: void | Promise<void>;
    try {
      result = hook();
    } catch (error) {
      this.failed(trigger, error);
    }
    if (!isPromiseLike(result)) {
      this.transition(completed);
      return;
    }
    return Promise.resolve(result).then(
      () => this.transition(completed),
      (error: unknown) => this.failed(trigger, error),
    );
  }

  /** Faults from any state that allows it (the transient ones do) and throws the wrapped cause. */
  private failed(trigger: ComponentTrigger, error: unknown): never {
    const reason = error instanceof Error ? error.message : String(error);
    if (TRANSITIONS[this.current][T.Fault] !== undefined) this.fault(`${trigger} failed: ${reason}`);
    throw new ComponentFaultError(this.id, trigger, error);
  }

  private transition(trigger: ComponentTrigger, reason?: string, checked?: ComponentState): void {
    const from = this.current;
    const state = checked ?? nextState(this.id, from, trigger);
    this.current = state;
    if (this.bus !== undefined) {
      const event: ComponentStateChanged = {
        type: 'component_state_changed',
        componentId: this.id,
        from,
        state,
        trigger,
        ...(reason === undefined ? {} : { reason }),
        tsEvent: this.clock.now(),
      };
      this.bus.publish(topics.componentStatus(this.id), event);
    }
  }
}
