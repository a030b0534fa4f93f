/**
 * Message bus dispatch rate: `npm run bench -- bus [--runs 7] [--messages 5000000]`.
 *
 * Side by side, on the same messages and handlers:
 * - tradewind: the kernel's InProcessBus (publish on switchboard topics, exact and wildcard subscriptions);
 * - EventEmitter: Node's node:events emitter (the usual in-process peer; it has no wildcards);
 * - bare loop: calling the handlers directly from an array, the limit for any dispatcher in JavaScript.
 * Request/response round trips are compared with a bare `await` of the same function.
 * Each figure is the median of several runs after a warm-up run, contenders interleaved, timed in CPU time
 * (process.cpuUsage) because the machine is shared and wall time would mostly measure other processes.
 * Rates are messages published per CPU second (with 10 subscribers each message is delivered 10 times).
 */
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { InstrumentId } from '../src/core/identifiers.js';
import type { Topic } from '../src/kernel/bus/topic.js';
import { InProcessBus } from '../src/kernel/bus/in-process-bus.js';
import { TestClock } from '../src/kernel/clock/test-clock.js';
import { topics } from '../src/kernel/topics.js';

interface Msg {
  readonly type: 'trade';
  readonly price: number;
  readonly size: number;
}

const POOL = 1024; // distinct message objects, cycled, so the loop allocates nothing
const messages: Msg[] = Array.from({ length: POOL }, (_, i) => ({ type: 'trade', price: 100 + (i % 17), size: 1 + (i % 5) }));

let sink = 0;
function makeHandlers(n: number): ((m: Msg) => void)[] {
  return Array.from({ length: n }, (_, k) => (m: Msg) => {
    sink += m.price * m.size + k;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** CPU seconds (user + system) of this process: unlike wall time, it does not count waiting for a core. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/**
 * Median rates (per second of CPU time) of several contenders doing `n` operations each. After one warm-up
 * each, they run interleaved, one run of each per round, so that load changes on the shared machine hit
 * all of them alike.
 */
function rates(runs: number, n: number, contenders: readonly ((n: number) => void)[]): number[] {
  for (const body of contenders) body(Math.min(n, 200_000));
  const samples = contenders.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    contenders.forEach((body, i) => {
      const c0 = process.cpuUsage();
      body(n);
      samples[i].push(n / cpuSeconds(c0));
    });
  }
  return samples.map(median);
}

async function asyncRates(runs: number, n: number, contenders: readonly ((n: number) => Promise<void>)[]): Promise<number[]> {
  for (const body of contenders) await body(Math.min(n, 20_000));
  const samples = contenders.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c0 = process.cpuUsage();
      await contenders[i](n);
      samples[i].push(n / cpuSeconds(c0));
    }
  }
  return samples.map(median);
}

interface Row {
  readonly scenario: string;
  readonly tradewind: number;
  readonly emitter: number | undefined;
  readonly bare: number;
}

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');

function busWith(subscribers: number, wildcard: boolean): { bus: InProcessBus; topic: Topic<Msg> } {
  const bus = new InProcessBus({ clock: new TestClock() });
  const topic = topics.trades(BTC) as string as Topic<Msg>;
  const pattern = wildcard ? topics.allTrades() : topic;
  for (const h of makeHandlers(subscribers)) bus.subscribe(pattern as string as Topic<Msg>, h);
  return { bus, topic };
}

function dispatchRow(runs: number, n: number, subscribers: number, wildcard: boolean): Row {
  const { bus, topic } = busWith(subscribers, wildcard);
  const contenders = [
    (k: number): void => {
      for (let i = 0; i < k; i++) bus.publish(topic, messages[i & (POOL - 1)]);
    },
  ];
  const handlers = makeHandlers(subscribers);
  contenders.push((k) => {
    for (let i = 0; i < k; i++) {
      const m = messages[i & (POOL - 1)];
      for (let j = 0; j < handlers.length; j++) handlers[j](m);
    }
  });
  if (!wildcard) {
    const ee = new EventEmitter();
    ee.setMaxListeners(100);
    for (const h of makeHandlers(subscribers)) ee.on(topic, h);
    contenders.push((k) => {
      for (let i = 0; i < k; i++) ee.emit(topic, messages[i & (POOL - 1)]);
    });
  }
  const [tradewind, bare, emitter] = rates(runs, n, contenders);
  const kind = wildcard ? 'wildcard data.trade.>' : 'exact topic';
  return { scenario: `${kind}, ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`, tradewind, emitter, bare };
}

/** 100 instruments published round-robin: every publish changes topic, so the per-topic map is used. */
function manyTopicsRow(runs: number, n: number): Row {
  const ids = Array.from({ length: 100 }, (_, i) => InstrumentId.parse(`SYM${i}USDT.BINANCE`));
  const topicList = ids.map((id) => topics.trades(id) as string as Topic<Msg>);
  const bus = new InProcessBus({ clock: new TestClock() });
  const [h] = makeHandlers(1);
  bus.subscribe(topics.allTrades() as string as Topic<Msg>, h);
  const ee = new EventEmitter();
  const [h2] = makeHandlers(1);
  for (const t of topicList) ee.on(t, h2);
  const [h3] = makeHandlers(1);
  const byIndex = topicList.map(() => h3);
  const [tradewind, emitter, bare] = rates(runs, n, [
    (k) => {
      for (let i = 0; i < k; i++) bus.publish(topicList[i % 100], messages[i & (POOL - 1)]);
    },
    (k) => {
      for (let i = 0; i < k; i++) ee.emit(topicList[i % 100], messages[i & (POOL - 1)]);
    },
    (k) => {
      for (let i = 0; i < k; i++) byIndex[i % 100](messages[i & (POOL - 1)]);
    },
  ]);
  return { scenario: '100 topics round-robin, 1 wildcard subscriber', tradewind, emitter, bare };
}

async function requestRows(runs: number, n: number): Promise<Row[]> {
  const bus = new InProcessBus({ clock: new TestClock() });
  const double = (x: number): number => x * 2;
  const asyncDouble = async (x: number): Promise<number> => x * 2;
  const syncEp = topics.endpoint<number, number>('bench', 'double');
  const asyncEp = topics.endpoint<number, number>('bench', 'double-async');
  bus.respond(syncEp, double);
  bus.respond(asyncEp, asyncDouble);
  const rows: Row[] = [];
  for (const [label, ep, fn] of [
    ['request/response, sync responder', syncEp, double],
    ['request/response, async responder', asyncEp, asyncDouble],
  ] as const) {
    const [tradewind, bare] = await asyncRates(runs, n, [
      async (k) => {
        for (let i = 0; i < k; i++) sink += await bus.request(ep, i);
      },
      async (k) => {
        for (let i = 0; i < k; i++) sink += await fn(i);
      },
    ]);
    rows.push({ scenario: label, tradewind, emitter: undefined, bare });
  }
  return rows;
}

function fmt(x: number | undefined): string {
  return x === undefined ? 'n/a' : `${(x / 1e6).toFixed(2)}M`;
}

function ratio(a: number, b: number | undefined): string {
  return b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: '7' }, messages: { type: 'string', default: '5000000' } },
    allowPositionals: false,
  });
  const runs = Number(values.runs);
  const n = Number(values.messages);
  if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(n) || n < 1000) {
    throw new Error('usage: npm run bench -- bus [--runs N>=1] [--messages N>=1000]');
  }

  const rows: Row[] = [
    dispatchRow(runs, n, 1, false),
    dispatchRow(runs, Math.ceil(n / 5), 10, false),
    dispatchRow(runs, n, 1, true),
    dispatchRow(runs, Math.ceil(n / 5), 10, true),
    manyTopicsRow(runs, n),
    ...(await requestRows(runs, Math.ceil(n / 20))),
  ];

  const header = ['scenario', 'tradewind msg/s', 'EventEmitter msg/s', 'bare loop msg/s', 'tw/EventEmitter', 'tw/bare'];
  const table = rows.map((r) => [r.scenario, fmt(r.tradewind), fmt(r.emitter), fmt(r.bare), ratio(r.tradewind, r.emitter), ratio(r.tradewind, r.bare)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`medians of ${runs} interleaved runs, per CPU second; ${n} messages per 1-subscriber run (${Math.ceil(n / 5)} with 10 subscribers, ${Math.ceil(n / 20)} requests)`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const goal = rows[0].tradewind;
  console.log(`goal >= 10M msg/s to one subscriber (exact topic): ${fmt(goal)} -> ${goal >= 10e6 ? 'met' : 'NOT met'}`);
  if (sink === 42) console.log(''); // keeps the handlers' work observable so it cannot be optimised away
}
