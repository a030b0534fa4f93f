import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';

async function book(files: Record<string, string>, args: string[]) {
  const dir = tempDirWith(files);
  const io = captureIo(dir);
  const code = await runCli(['book', ...args], io);
  return { code, out: io.out(), err: io.err(), json: io.out() === '' ? undefined : JSON.parse(io.out()), dir };
}

const depth = (U: number, u: number, b: string[][], a: string[][] = [], extra: object = {}) => ({ e: 'depthUpdate', E: 1_700_000_000_000 + u, s: 'ABCUSDT', U, u, ...extra, b, a });

const SPOT = {
  snapshot: { lastUpdateId: 100, bids: [['10.00', '1.0'], ['9.99', '2.0'], ['9.98', '3.0']], asks: [['10.02', '1.5'], ['10.03', '2.5']] },
  events: [
    depth(90, 100, [['10.00', '50']]), // u <= lastUpdateId: dropped
    depth(99, 102, [['10.01', '0.5']], [['10.02', '0']]), // straddles 101
    depth(103, 103, [['9.99', '0']], [['10.04', '1.25']]),
  ],
};

describe('tradewind book', () => {
  it('binance {snapshot, events}: applies by the documented procedure and prints best levels first', async () => {
    const r = await book({ 'sync.json': JSON.stringify(SPOT) }, ['--venue', 'binance', '--input', 'sync.json', '--symbol', 'abcusdt', '--depth', '2']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      symbol: 'ABCUSDT',
      bids: [['10.01', '0.50'], ['10.00', '1.00']],
      asks: [['10.03', '2.50'], ['10.04', '1.25']],
      messages: 4,
      gaps: 0,
      resyncs: 0,
    });
    expect(Object.keys(r.json)).toEqual(['symbol', 'bids', 'asks', 'messages', 'gaps', 'resyncs']);
  });

  it('binance: a gap with no later snapshot leaves the book unsynchronised (exit 1)', async () => {
    const gap = { ...SPOT, events: [...SPOT.events, depth(105, 106, [['9.00', '1']])] };
    const r = await book({ 'g.json': JSON.stringify(gap) }, ['--venue', 'binance', '--input', 'g.json', '--symbol', 'ABCUSDT']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ bids: [], asks: [], messages: 5, gaps: 1, resyncs: 0 });
    expect(r.err).toMatch(/not synchronised/);
  });

  it('binance capture: stream file plus its sibling REST capture, resync on a later snapshot', async () => {
    const env = (d: object) => JSON.stringify({ stream: 'abcusdt@depth@100ms', data: d });
    const other = JSON.stringify({ stream: 'xyzusdt@depth@100ms', data: { ...depth(1, 2, [['1.0', '1']]), s: 'XYZUSDT' } });
    const ws = [
      'wss://stream.binance.com:9443/stream?streams=abcusdt@depth@100ms/xyzusdt@depth@100ms <-> 1000.0',
      `1000.1: ${env(depth(99, 101, [['10.00', '2.0']]))}`,
      `1000.2: ${other}`,
      `1000.4: ${env(depth(102, 102, [['9.97', '1.0']]))}`,
      `1000.5: ${env(depth(110, 111, [['9.96', '1.0']]))}`, // gap: 103..109 missing
      `1000.7: ${env(depth(112, 112, [['10.05', '0.1']], [['10.06', '7']]))}`,
      `1000.8: {"stream":"abcusdt@trade","data":{"e":"trade","s":"ABCUSDT","t":1,"p":"10.00","q":"-1","T":1,"m":true}}`,
    ].join('\n');
    const snap = (id: number, bid: string) => JSON.stringify({ lastUpdateId: id, bids: [[bid, '1.0']], asks: [['10.10', '1.0']] });
    const http = [
      `https://api.binance.com/api/v3/depth?symbol=ABCUSDT&limit=1000 -> 1000.3: ${snap(100, '9.90')}`,
      `https://api.binance.com/api/v3/depth?symbol=XYZUSDT&limit=1000 -> 1000.3: ${snap(1, '0.5')}`,
      `https://api.binance.com/api/v3/depth?symbol=ABCUSDT&limit=1000 -> 1000.6: ${snap(111, '9.95')}`,
    ].join('\n');
    const r = await book({ 'BINANCE.ws.1.0': ws, 'BINANCE.http.0.0': http }, ['--venue', 'binance', '--input', 'BINANCE.ws.1.0', '--symbol', 'ABCUSDT', '--depth', '3']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      symbol: 'ABCUSDT',
      bids: [['10.05', '0.1'], ['9.95', '1.0']],
      asks: [['10.06', '7.0'], ['10.10', '1.0']],
      messages: 6, // 4 diffs of ABCUSDT and 2 snapshots
      gaps: 1,
      resyncs: 1,
    });
    expect(r.err).toMatch(/1 message\(s\) of ABCUSDT rejected/);
  });

  it('binance-futures: pu continuity', async () => {
    const fut = {
      snapshot: { lastUpdateId: 100, bids: [['10.0', '1']], asks: [['10.2', '1']] },
      events: [depth(95, 104, [['10.0', '3']], [], { pu: 94 }), depth(105, 107, [['10.1', '1']], [], { pu: 104 })],
    };
    const r = await book({ 'f.json': JSON.stringify(fut) }, ['--venue', 'binance-futures', '--input', 'f.json', '--symbol', 'ABCUSDT']);
    expect(r.json).toEqual({ symbol: 'ABCUSDT', bids: [['10.1', '1'], ['10.0', '3']], asks: [['10.2', '1']], messages: 3, gaps: 0, resyncs: 0 });
  });

  it('coinbase capture: level2 snapshot and l2update, other products ignored', async () => {
    const lines = [
      'wss://ws-feed.exchange.coinbase.com <-> 1.0',
      'wss://ws-feed.exchange.coinbase.com <- 1.1: {"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2"]}',
      '1.2: {"type":"subscriptions","channels":[]}',
      '1.3: {"type":"l2update","product_id":"BTC-USD","changes":[["buy","1.00","1"]],"time":"t"}',
      '1.4: {"type":"snapshot","product_id":"BTC-USD","bids":[["100.10","0.5"],["100.00","1.25"]],"asks":[["100.20","2"]]}',
      '1.5: {"type":"l2update","product_id":"BTC-USD","changes":[["buy","100.15","0.75"],["sell","100.20","0.0"],["sell","100.30","1.5"]],"time":"t"}',
      '1.6: {"type":"l2update","product_id":"ETH-USD","changes":[["buy","5.00","1"]],"time":"t"}',
      '1.7: {"type":"l2update","product_id":"BTC-USD","changes":[["buy","100.00","0"]],"time":"t"}',
    ].join('\n');
    const r = await book({ 'cb.txt': lines }, ['--venue', 'coinbase', '--input', 'cb.txt', '--symbol', 'BTC-USD']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ symbol: 'BTC-USD', bids: [['100.15', '0.75'], ['100.10', '0.50']], asks: [['100.30', '1.50']], messages: 4, gaps: 0, resyncs: 0 });
    const j = await book({ 'cb.json': JSON.stringify({ snapshot: { type: 'snapshot', product_id: 'X-Y', bids: [['1.5', '2']], asks: [] }, events: [] }) }, ['--venue', 'coinbase', '--input', 'cb.json', '--symbol', 'X-Y']);
    expect(j.json).toMatchObject({ bids: [['1.5', '2']], messages: 1 });
  });

  it.each([
    [['--venue', 'binance', '--input', 'missing.json', '--symbol', 'A'], /cannot read/],
    [['--venue', 'binance', '--input', 'junk.txt', '--symbol', 'A'], /neither a capture/],
    [['--venue', 'binance', '--input', 'bad.json', '--symbol', 'A'], /not valid JSON/],
    [['--venue', 'binance', '--input', 'shape.json', '--symbol', 'A'], /expected \{"snapshot"/],
    [['--venue', 'kraken', '--input', 'shape.json', '--symbol', 'A'], /--venue/],
    [['--venue', 'binance', '--symbol', 'A'], /--input/],
    [['--venue', 'binance', '--input', 'shape.json'], /--symbol/],
    [['--venue', 'binance', '--input', 'shape.json', '--symbol', 'A', '--depth', '0'], /--depth/],
    [['--bogus'], /bogus/],
  ])('exit 2 on %j', async (args, message) => {
    const r = await book({ 'junk.txt': 'hello\nworld\n', 'bad.json': '{"snapshot":', 'shape.json': '{"events":[]}' }, args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('runs as a real process', async () => {
    const dir = tempDirWith({ 's.json': JSON.stringify(SPOT) });
    const root = join(import.meta.dirname, '../../..');
    const { stdout } = await promisify(execFile)('npx', ['tsx', join(root, 'src/cli/main.ts'), 'book', '--venue', 'binance', '--input', join(dir, 's.json'), '--symbol', 'ABCUSDT', '--depth', '1'], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ symbol: 'ABCUSDT', bids: [['10.01', '0.50']], asks: [['10.03', '2.50']], messages: 4, gaps: 0, resyncs: 0 });
  });
});
