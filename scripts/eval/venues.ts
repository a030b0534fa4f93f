/**
 * Real Coinbase and Polygon messages (../shared/data/ws_samples) through Tradewind's parsers, the Polygon REST
 * aggregates mock through the historical loader, and the cryptofeed Binance capture through `replayCapture`
 * twice (determinism). Binance frames and books are checked in scripts/eval/marketdata.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCapture } from '../../src/adapters/common/capture.js';
import { parseAdvancedMessage } from '../../src/adapters/coinbase/parse-advanced.js';
import { parseExchangeMessage } from '../../src/adapters/coinbase/parse-exchange.js';
import { parsePolygonAggs } from '../../src/adapters/historical/polygon-aggs.js';
import { parsePolygonFrame } from '../../src/adapters/polygon/parse.js';
import { replayCapture } from '../../src/adapters/recording/replay.js';
import { InstrumentId } from '../../src/core/identifiers.js';
import { UnixMicros } from '../../src/core/time.js';

const tsInit = UnixMicros.of(1_700_000_000_000_000);

export async function run(dataDir: string): Promise<boolean> {
  const ws = join(dataDir, 'ws_samples');
  let ok = true;
  const check = (cond: boolean, what: string) => {
    console.log(`  ${cond ? 'ok  ' : 'FAIL'} ${what}`);
    if (!cond) ok = false;
  };

  console.log('Coinbase Exchange samples:');
  for (const name of ['exchange_subscriptions', 'exchange_snapshot', 'exchange_l2update', 'exchange_ticker', 'exchange_match', 'exchange_last_match']) {
    const messages = JSON.parse(readFileSync(join(ws, 'coinbase', `${name}.json`), 'utf8')) as unknown[];
    const parsed = messages.map((m) => parseExchangeMessage(JSON.stringify(m), tsInit));
    const rejected = parsed.filter((p) => p.kind === 'rejection');
    check(rejected.length === 0, `${name}: ${parsed.length} messages, kinds ${[...new Set(parsed.map((p) => p.kind))].join(',')}, ${rejected.length} rejected`);
  }
  const matches = (JSON.parse(readFileSync(join(ws, 'coinbase', 'exchange_match.json'), 'utf8')) as { price: string; size: string; side: string }[]).map((m) => ({
    m,
    p: parseExchangeMessage(JSON.stringify(m), tsInit),
  }));
  check(
    matches.every(({ m, p }) => p.kind === 'trade' && p.event.price.toString() === m.price && p.event.size.toString() === m.size && p.event.aggressorSide === (m.side === 'sell' ? 'BUYER' : 'SELLER')),
    'match prices and sizes are the exact decimal strings, aggressor opposite to the maker side',
  );

  console.log('Coinbase Advanced Trade sample:');
  const hb = parseAdvancedMessage(readFileSync(join(ws, 'coinbase', 'advanced_trade_heartbeats_docs_example.json'), 'utf8'), tsInit);
  check(hb.kind === 'message' && hb.message.heartbeat === 3049, `heartbeats docs example: counter ${hb.kind === 'message' ? hb.message.heartbeat : hb.kind}`);

  console.log('Polygon WebSocket spec examples (each sent as a one-element array frame):');
  const examples = JSON.parse(readFileSync(join(ws, 'polygon', 'websocket_spec_examples.json'), 'utf8')) as Record<string, { example: unknown }>;
  const used = new Set(['T', 'Q', 'A', 'AM', 'XT', 'XQ', 'XA', 'XAS', 'XL2']);
  let events = 0;
  let skipped = 0;
  for (const [path, { example }] of Object.entries(examples)) {
    const r = parsePolygonFrame(JSON.stringify([example]), tsInit);
    const ev = (example as { ev: string }).ev;
    const expectEvent = used.has(ev) && !path.startsWith('/launchpad') && !path.startsWith('/indices') && !path.startsWith('/business');
    if (r.rejections.length > 0 && expectEvent) check(false, `${path}: rejected ${r.rejections.map((x) => x.reason).join('; ')}`);
    if (r.events.length > 0) events++;
    else skipped++;
  }
  check(events >= 12, `${events} channel examples became events, ${skipped} skipped (channels Tradewind does not use)`);
  const status = parsePolygonFrame(readFileSync(join(ws, 'polygon', 'websocket_status_docs_example.json'), 'utf8'), tsInit);
  check(status.events[0]?.type === 'status' && (status.events[0] as { status: string }).status === 'auth_success', 'auth status example');

  console.log('Polygon REST aggregates mock:');
  const aggs = JSON.parse(readFileSync(join(ws, 'polygon', 'rest_mocks', 'v2_aggs_ticker_AAPL_range_1_day_2005-04-01_2005-04-04.json'), 'utf8')) as { results: { o: number; c: number }[] };
  const loaded = parsePolygonAggs(aggs, { instrumentId: InstrumentId.parse('AAPL.POLYGON'), interval: '1d' });
  check(
    loaded.rejected.length === 0 && loaded.events.length === aggs.results.length && loaded.events.every((b, i) => b.open.toNumber() === aggs.results[i].o && b.close.toNumber() === aggs.results[i].c),
    `${loaded.events.length} daily bars, values equal to the JSON numbers`,
  );

  console.log('Replay of the cryptofeed Binance capture:');
  const capture = parseCapture(readFileSync(join(ws, 'raw_captures_cryptofeed', 'BINANCE.ws.1.0'), 'utf8'));
  const once: string[] = [];
  const twice: string[] = [];
  const stats = replayCapture('binance', capture.records, (e) => once.push(JSON.stringify(e)));
  replayCapture('binance', capture.records, (e) => twice.push(JSON.stringify(e)));
  check(capture.badLines.length === 0, `capture lines all readable (${capture.records.length} records)`);
  check(Object.keys(stats.rejections).length === 0, `${stats.frames} frames, ${stats.events} events, rejections ${JSON.stringify(stats.rejections)}`);
  check(once.length > 0 && once.join('\n') === twice.join('\n'), 'two replays give identical events');
  return ok;
}
