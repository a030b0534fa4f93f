/**
 * The contract every MessageBus implementation passes (in-process now, NATS later). It only uses what the
 * port promises: after `await bus.flush()` everything published before has been delivered, so the same
 * assertions hold for synchronous and remote dispatch.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { UnixMicros } from '../../../core/time.js';
import { TestClock } from '../../clock/test-clock.js';
import type { HandlerFailed } from '../../messages.js';
import { topics } from '../../topics.js';
import type { MessageBus } from '../message-bus.js';
import { BusClosedError, NoResponderError, RequestFailedError, RequestTimeoutError } from '../message-bus.js';
import { Topic } from '../topic.js';

export interface BusFactory {
  /** A fresh bus on its own topic namespace, with request timeouts on `clock`. */
  (clock: TestClock): MessageBus | Promise<MessageBus>;
}

export function describeMessageBusContract(name: string, makeBus: BusFactory): void {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus | undefined;
    let clock: TestClock;
    // Unique prefix per run so a shared server never delivers leftovers of an earlier run.
    const prefix = `t${randomUUID().replaceAll('-', '')}`;
    const t = <M = unknown>(s: string): Topic<M> => Topic.parse<M>(`${prefix}.${s}`);
    const p = <M = unknown>(s: string) => Topic.pattern<M>(`${prefix}.${s}`);
    const e = <Q, R>(s: string) => Topic.endpoint<Q, R>(`${prefix}.${s}`);

    async function open(): Promise<MessageBus> {
      clock = new TestClock(UnixMicros.unsafe(1_000_000));
      bus = await makeBus(clock);
      return bus;
    }

    afterEach(async () => {
      await bus?.close();
      bus = undefined;
    });

    it('delivers to exact and wildcard subscriptions with the concrete topic', async () => {
      const b = await open();
      const got: string[] = [];
      b.subscribe(t<number>('a.b.c'), (m, topic) => got.push(`exact:${m}:${topic}`));
      b.subscribe(p<number>('a.*.c'), (m) => got.push(`star:${m}`));
      b.subscribe(p<number>('a.>'), (m) => got.push(`tail:${m}`));
      b.subscribe(p<number>('x.>'), (m) => got.push(`other:${m}`));
      b.publish(t<number>('a.b.c'), 1);
      b.publish(t<number>('a.b'), 2);
      b.publish(t<number>('a.z.c'), 3);
      await b.flush();
      expect(got.filter((g) => g.startsWith('exact'))).toEqual([`exact:1:${prefix}.a.b.c`]);
      expect(got.filter((g) => g.startsWith('star'))).toEqual(['star:1', 'star:3']);
      expect(got.filter((g) => g.startsWith('tail'))).toEqual(['tail:1', 'tail:2', 'tail:3']);
      expect(got.some((g) => g.startsWith('other'))).toBe(false);
    });

    it('keeps publication order per topic and calls the handlers of one pattern by priority, then subscription order', async () => {
      const b = await open();
      const got: string[] = [];
      b.subscribe(t<number>('o'), (m) => got.push(`low${m}`), { priority: -1 });
      b.subscribe(t<number>('o'), (m) => got.push(`a${m}`));
      b.subscribe(t<number>('o'), (m) => got.push(`high${m}`), { priority: 10 });
      b.subscribe(t<number>('o'), (m) => got.push(`b${m}`));
      for (let i = 0; i < 3; i++) b.publish(t<number>('o'), i);
      await b.flush();
      expect(got).toEqual(['high0', 'a0', 'b0', 'low0', 'high1', 'a1', 'b1', 'low1', 'high2', 'a2', 'b2', 'low2']);
    });

    it('isolates a throwing handler: others still run, the failure is counted and reported', async () => {
      const b = await open();
      const got: number[] = [];
      const failures: HandlerFailed[] = [];
      // The error topic is global: keep only this run's reports (a shared server may carry others).
      b.subscribe(topics.busErrors(), (f) => {
        if (f.topic.startsWith(`${prefix}.`)) failures.push(f);
      });
      const bad = b.subscribe(
        t<number>('e'),
        () => {
          throw new Error('handler bug');
        },
        { name: 'bad-one' },
      );
      b.subscribe(t<number>('e'), (m) => got.push(m));
      b.publish(t<number>('e'), 1);
      b.publish(t<number>('e'), 2);
      await b.flush();
      expect(got).toEqual([1, 2]);
      expect(bad.errorCount).toBe(2);
      expect(failures.map((f) => [f.subscriber, f.topic, f.errorCount, (f.error as Error).message])).toEqual([
        ['bad-one', `${prefix}.e`, 1, 'handler bug'],
        ['bad-one', `${prefix}.e`, 2, 'handler bug'],
      ]);
    });

    it('stops delivery after unsubscribe', async () => {
      const b = await open();
      const got: number[] = [];
      const s = b.subscribe(t<number>('u'), (m) => got.push(m));
      expect(b.hasSubscribers(t('u'))).toBe(true);
      b.publish(t<number>('u'), 1);
      await b.flush();
      s.unsubscribe();
      s.unsubscribe();
      expect(s.active).toBe(false);
      b.publish(t<number>('u'), 2);
      await b.flush();
      expect(got).toEqual([1]);
    });

    it('answers requests, and fails them clearly: no responder, responder error, timeout on the clock', async () => {
      const b = await open();
      b.respond(e<number, number>('double'), (x) => x * 2);
      b.respond(e<number, number>('later'), (x) => Promise.resolve(x + 1));
      b.respond(e<number, number>('broken'), () => {
        throw new Error('nope');
      });
      b.respond(e<number, number>('rejects'), () => Promise.reject(new Error('async nope')));
      b.respond(e<number, number>('never'), () => new Promise<number>(() => {}));
      expect(await b.request(e<number, number>('double'), 21)).toBe(42);
      expect(await b.request(e<number, number>('later'), 1)).toBe(2);
      await expect(b.request(e('nobody'), 1)).rejects.toBeInstanceOf(NoResponderError);
      await expect(b.request(e('broken'), 1)).rejects.toThrow(RequestFailedError);
      await expect(b.request(e('rejects'), 1)).rejects.toThrow(/async nope/);
      const pending = b.request(e('never'), 1, { timeoutMicros: 250_000 });
      let outcome: unknown;
      pending.catch((err: unknown) => (outcome = err));
      clock.advanceBy(249_999);
      await Promise.resolve();
      expect(outcome).toBeUndefined();
      clock.advanceBy(1);
      await expect(pending).rejects.toBeInstanceOf(RequestTimeoutError);
    });

    it('sends each request to one of several responders and forgets one that unsubscribed', async () => {
      const b = await open();
      const r1 = b.respond(e<null, string>('who'), () => 'r1');
      b.respond(e<null, string>('who'), () => 'r2');
      // Which responder answers is up to the implementation (NATS picks one of a queue group at random).
      for (let i = 0; i < 4; i++) expect(['r1', 'r2']).toContain(await b.request(e<null, string>('who'), null));
      r1.unsubscribe();
      for (let i = 0; i < 3; i++) expect(await b.request(e<null, string>('who'), null)).toBe('r2');
    });

    it('refuses use after close and rejects pending requests', async () => {
      const b = await open();
      b.respond(e<number, number>('slow'), () => new Promise<number>(() => {}));
      const pending = b.request(e<number, number>('slow'), 1);
      const s = b.subscribe(t('c'), () => {});
      await b.close();
      await expect(pending).rejects.toBeInstanceOf(BusClosedError);
      expect(s.active).toBe(false);
      expect(() => b.publish(t('c'), 1)).toThrow(BusClosedError);
      expect(() => b.subscribe(t('c'), () => {})).toThrow(BusClosedError);
      await expect(b.request(e('slow'), 1)).rejects.toBeInstanceOf(BusClosedError);
      await b.close();
    });
  });
}
