import { describe, expect, it } from 'vitest';
import { UnixMicros } from '../core/time.js';
import { InProcessBus } from './bus/in-process-bus.js';
import { TestClock } from './clock/test-clock.js';
import type { ComponentContext } from './component.js';
import { Component, ComponentFaultError, ComponentState, ComponentTrigger, InvalidStateTransitionError, nextState, TRANSITIONS } from './component.js';
import type { ComponentStateChanged } from './messages.js';
import { topics } from './topics.js';

class Probe extends Component {
  readonly calls: string[] = [];
  failOn: string | undefined;
  asyncStart: Promise<void> | undefined;

  constructor(context: ComponentContext) {
    super('Probe', context);
  }
  private hook(name: string): void {
    this.calls.push(name);
    if (this.failOn === name) throw new Error(`${name} broke`);
  }
  protected override onInitialize(): void {
    this.hook('init');
  }
  protected override onStart(): void | Promise<void> {
    this.hook('start');
    return this.asyncStart;
  }
  protected override onStop(): void {
    this.hook('stop');
  }
  protected override onReset(): void {
    this.hook('reset');
  }
  protected override onDispose(): void {
    this.hook('dispose');
  }
  protected override onFault(reason: string): void {
    this.calls.push(`fault:${reason}`);
  }
}

function setup(): { probe: Probe; changes: ComponentStateChanged[] } {
  const clock = new TestClock(UnixMicros.unsafe(5));
  const bus = new InProcessBus({ clock });
  const changes: ComponentStateChanged[] = [];
  bus.subscribe(topics.componentStatus('Probe'), (e) => changes.push(e));
  return { probe: new Probe({ clock, bus }), changes };
}

describe('component lifecycle', () => {
  it('walks the normal life and publishes every change', () => {
    const { probe, changes } = setup();
    expect(probe.state).toBe('PRE_INITIALIZED');
    probe.initialize();
    probe.start();
    expect(probe.isRunning).toBe(true);
    probe.stop();
    probe.reset();
    probe.start();
    probe.stop();
    probe.dispose();
    expect(probe.calls).toEqual(['init', 'start', 'stop', 'reset', 'start', 'stop', 'dispose']);
    expect(changes.map((c) => `${c.from}-${c.trigger}->${c.state}`)).toEqual([
      'PRE_INITIALIZED-INITIALIZE->READY',
      'READY-START->STARTING',
      'STARTING-START_COMPLETED->RUNNING',
      'RUNNING-STOP->STOPPING',
      'STOPPING-STOP_COMPLETED->STOPPED',
      'STOPPED-RESET->READY',
      'READY-START->STARTING',
      'STARTING-START_COMPLETED->RUNNING',
      'RUNNING-STOP->STOPPING',
      'STOPPING-STOP_COMPLETED->STOPPED',
      'STOPPED-DISPOSE->DISPOSED',
    ]);
    expect(changes[0]).toMatchObject({ type: 'component_state_changed', componentId: 'Probe', tsEvent: 5 });
  });

  it('rejects invalid transitions with a named error naming state and trigger, without running the hook', () => {
    const { probe } = setup();
    expect(() => probe.start()).toThrow(InvalidStateTransitionError);
    expect(() => probe.start()).toThrow('Probe: cannot START when PRE_INITIALIZED');
    probe.initialize();
    expect(() => probe.stop()).toThrow(/cannot STOP when READY/);
    probe.start();
    expect(() => probe.start()).toThrow(/cannot START when RUNNING/);
    expect(() => probe.dispose()).toThrow(/cannot DISPOSE when RUNNING/);
    expect(() => probe.reset()).toThrow(/cannot RESET when RUNNING/);
    expect(probe.calls).toEqual(['init', 'start']);
    try {
      probe.initialize();
    } catch (e) {
      expect(e).toMatchObject({ state: 'RUNNING', trigger: 'INITIALIZE', componentId: 'Probe' });
    }
  });

  it('faults when a hook throws, and then allows only dispose', () => {
    const { probe, changes } = setup();
    probe.initialize();
    probe.failOn = 'start';
    expect(() => probe.start()).toThrow(ComponentFaultError);
    expect(probe.state).toBe('FAULTED');
    expect(probe.calls).toContain('fault:START failed: start broke');
    expect(changes.at(-1)).toMatchObject({ from: 'STARTING', state: 'FAULTED', reason: 'START failed: start broke' });
    expect(() => probe.start()).toThrow(InvalidStateTransitionError);
    expect(() => probe.fault('again')).toThrow(InvalidStateTransitionError);
    probe.dispose();
    expect(probe.state).toBe('DISPOSED');
  });

  it('faults when a synchronous hook such as reset throws', () => {
    const { probe } = setup();
    probe.initialize();
    probe.failOn = 'reset';
    const err = (() => {
      try {
        probe.reset();
      } catch (e) {
        return e as ComponentFaultError;
      }
    })();
    expect(err).toBeInstanceOf(ComponentFaultError);
    expect((err?.cause as Error).message).toBe('reset broke');
    expect(probe.state).toBe('FAULTED');
  });

  it('stays where it was when a hook of a state that cannot fault throws', () => {
    const { probe } = setup();
    probe.failOn = 'init';
    expect(() => probe.initialize()).toThrow(ComponentFaultError);
    expect(probe.state).toBe('PRE_INITIALIZED');
  });

  it('supports asynchronous start: STARTING until the hook settles', async () => {
    const { probe } = setup();
    probe.initialize();
    let finish!: () => void;
    probe.asyncStart = new Promise<void>((r) => (finish = r));
    const started = probe.start();
    expect(probe.state).toBe('STARTING');
    expect(() => probe.stop()).toThrow(/cannot STOP when STARTING/);
    finish();
    await started;
    expect(probe.state).toBe('RUNNING');
  });

  it('faults on a rejected asynchronous start', async () => {
    const { probe } = setup();
    probe.initialize();
    probe.asyncStart = Promise.reject(new Error('socket refused'));
    await expect(probe.start()).rejects.toThrow(/START failed: socket refused/);
    expect(probe.state).toBe('FAULTED');
  });

  it('works without a bus, and the table lists every state', () => {
    const probe = new Probe({ clock: new TestClock() });
    probe.initialize();
    probe.fault('manual');
    expect(probe.state).toBe('FAULTED');
    expect(Object.keys(TRANSITIONS).sort()).toEqual(Object.values(ComponentState).sort());
    expect(nextState('x', ComponentState.Stopped, ComponentTrigger.Start)).toBe('STARTING');
    expect(() => nextState('x', ComponentState.Disposed, ComponentTrigger.Initialize)).toThrow(/cannot INITIALIZE when DISPOSED/);
  });
});
