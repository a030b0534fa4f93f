/**
 * The simulator replays the real Binance capture (ws_samples/raw_captures_cryptofeed/BINANCE.ws.1.0 with its
 * REST depth snapshots) over real sockets, and a client following Binance's documented local-book procedure
 * (snapshot, drop u <= lastUpdateId, first U <= lastUpdateId+1 <= u, then U == previous u + 1) syncs every
 * symbol that has a snapshot without a gap; every replayed frame reaches the client byte for byte.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { BinanceSimulator } from '../../src/adapters/sim/binance/server.js';
import { parseCapture } from '../../src/adapters/sim/replay/capture.js';
import { openReplay } from '../../src/adapters/sim/replay/feed.js';

export async function run(dataDir: string): Promise<boolean> {
  const path = join(dataDir, 'ws_samples/raw_captures_cryptofeed/BINANCE.ws.1.0');
  if (!existsSync(path)) {
    console.error(`simulator: ${path} is missing`);
    return false;
  }
  const feed = openReplay(path);
  const sim = await BinanceSimulator.start({ clock: 'manual', replay: feed });
  let ok = true;
  try {
    const streams = feed.symbols.flatMap((s) => ['depth@100ms', 'bookTicker', 'kline_1m', 'aggTrade'].map((k) => `${s.symbol.toLowerCase()}@${k}`));
    const ws = new WebSocket(`${sim.wsUrl}/stream?streams=${streams.join('/')}`);
    const got: string[] = [];
    ws.on('message', (d) => got.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    const expected = parseCapture(readFileSync(path, 'utf8')).flatMap((r) => (r.kind === 'received' && r.text.startsWith('{"stream"') ? [r] : []));
    // Take each symbol's snapshot at the time the recorder did, then run to the end.
    const snaps = new Map<string, { lastUpdateId: number }>();
    const http = parseCapture(readFileSync(join(dataDir, 'ws_samples/raw_captures_cryptofeed/BINANCE.http.0.0'), 'utf8')).filter((r) => r.kind === 'http');
    for (const h of http) {
      sim.advanceTo(h.timeUs);
      const symbol = new URL(h.url).searchParams.get('symbol')!;
      snaps.set(symbol, (await (await fetch(`${sim.restUrl}/api/v3/depth?symbol=${symbol}&limit=1000`)).json()) as { lastUpdateId: number });
    }
    sim.advanceTo(feed.endUs + 1_000_000);
    const deadline = Date.now() + 10_000;
    while (got.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const same = got.length === expected.length && got.every((g, i) => g === expected[i].text);
    console.log(`  frames replayed ${got.length}/${expected.length}, identical: ${same}`);
    ok &&= same;
    for (const [symbol, snap] of snaps) {
      let prev: number | undefined;
      let applied = 0;
      let gaps = 0;
      for (const g of got) {
        const m = JSON.parse(g) as { stream: string; data: { U: number; u: number } };
        if (m.stream !== `${symbol.toLowerCase()}@depth@100ms` || m.data.u <= snap.lastUpdateId) continue;
        const { U, u } = m.data;
        if (prev === undefined ? !(U <= snap.lastUpdateId + 1 && snap.lastUpdateId + 1 <= u) : U !== prev + 1) gaps++;
        prev = u;
        applied++;
      }
      console.log(`  ${symbol}: snapshot ${snap.lastUpdateId}, diffs applied ${applied}, gaps ${gaps}`);
      ok &&= applied > 0 && gaps === 0;
    }
  } finally {
    await sim.close();
  }
  return ok;
}
