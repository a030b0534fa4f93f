import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { UnixMicros } from '../../core/time.js';
import { parseBinanceFrame } from '../binance/parse.js';
import { FRAMES, lookupBtc } from '../binance/testing/frames.js';
import type { BinanceMessage } from '../binance/types.js';
import { parseCoinbaseBookMessage } from '../coinbase/book-parse.js';
import { parseAdvancedMessage, type AdvancedParse } from '../coinbase/parse-advanced.js';
import { parseExchangeMessage, type ExchangeMessage } from '../coinbase/parse-exchange.js';
import { parsePolygonFrame, type PolygonRejection } from '../polygon/parse.js';
import { isRejectReason, RejectReason } from './reject-reason.js';

const tsInit = UnixMicros.of(1_700_000_000_000_000);

/** Every venue parser, reduced to the reason codes it rejects a frame with. */
const PARSERS: Readonly<Record<string, (frame: string) => string[]>> = {
  binance: (f) => {
    const m = parseBinanceFrame(f, lookupBtc, tsInit);
    return m.type === 'rejection' ? [m.reason] : [];
  },
  'coinbase-exchange': (f) => {
    const m = parseExchangeMessage(f, tsInit);
    return m.kind === 'rejection' ? [m.reason] : [];
  },
  'coinbase-advanced': (f) => {
    const m = parseAdvancedMessage(f, tsInit);
    return m.kind === 'rejection' ? [m.reason] : [];
  },
  'coinbase-book': (f) => {
    const m = parseCoinbaseBookMessage(f);
    return m.type === 'rejection' ? [m.reason] : [];
  },
  polygon: (f) => parsePolygonFrame(f, tsInit).rejections.map((r) => r.reason),
};

/** Valid frames of each venue, as the venues document them; mutated below into bad ones. */
const VALID: Readonly<Record<string, readonly string[]>> = {
  binance: Object.values(FRAMES),
  'coinbase-exchange': [
    '{"type":"match","trade_id":1,"side":"buy","size":"1","price":"2","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}',
    '{"type":"ticker","sequence":5,"product_id":"BTC-USD","price":"100","best_bid":"99.5","best_bid_size":"1.5","best_ask":"100.5","best_ask_size":"2","time":"2022-01-01T00:00:00.5Z"}',
    '{"type":"l2update","product_id":"A-B","changes":[["buy","1","2"]],"time":"2021-04-17T16:43:37Z"}',
  ],
  'coinbase-advanced': [
    '{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":7,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"ETH-USD","price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}',
  ],
  'coinbase-book': ['{"type":"snapshot","product_id":"BTC-USD","bids":[["10101.10","0.45"]],"asks":[["10102.55","0.57"]]}', '{"type":"l2update","product_id":"BTC-USD","changes":[["buy","10101.80","0.16"]],"time":"2019-08-14T20:42:27.265Z"}'],
  polygon: [
    '[{"ev":"T","sym":"MSFT","x":4,"i":"12345","p":114.125,"s":100,"t":1536036818784}]',
    '[{"ev":"Q","sym":"MSFT","bp":114.125,"bs":100,"ap":114.128,"as":160,"t":1536036818784}]',
    '[{"ev":"AM","sym":"GTE","v":4110,"o":0.4488,"c":0.4486,"h":0.4489,"l":0.4486,"s":1610144640000,"e":1610144700000}]',
    '[{"ev":"XL2","pair":"BTC-USD","b":[[1,1]],"a":[[2,1]],"t":1536036818784}]',
  ],
};

const BAD_VALUES: readonly unknown[] = [undefined, null, '', 'x', '-1', '0', -1, 0, 1e300, {}, [], [[]]];

/** Each top-level (or `data`/`events[0]`-nested) field of a valid frame replaced by each bad value, or removed. */
function mutations(frame: string): string[] {
  const out: string[] = [];
  const walk = (root: unknown, node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || depth > 3) return;
    for (const key of Object.keys(node)) {
      const obj = node as Record<string, unknown>;
      const saved = obj[key];
      for (const bad of BAD_VALUES) {
        if (bad === undefined && !Array.isArray(node)) delete obj[key];
        else obj[key] = bad;
        out.push(JSON.stringify(root));
        obj[key] = saved;
      }
      walk(root, saved, depth + 1);
    }
  };
  const root: unknown = JSON.parse(frame);
  walk(root, root, 0);
  return out;
}

function reasonsOf(venue: string, frames: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  for (const f of frames) for (const r of PARSERS[venue](f)) seen.add(r);
  return seen;
}

describe('RejectReason: one vocabulary for every venue', () => {
  it('types every parser rejection reason as the shared RejectReason, so a venue cannot invent its own', () => {
    expectTypeOf<Extract<BinanceMessage, { type: 'rejection' }>['reason']>().toEqualTypeOf<RejectReason>();
    expectTypeOf<Extract<ExchangeMessage, { kind: 'rejection' }>['reason']>().toEqualTypeOf<RejectReason>();
    expectTypeOf<Extract<AdvancedParse, { kind: 'rejection' }>['reason']>().toEqualTypeOf<RejectReason>();
    expectTypeOf<PolygonRejection['reason']>().toEqualTypeOf<RejectReason>();
  });

  it('is a set of distinct snake_case codes', () => {
    const codes = Object.values(RejectReason);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
    expect(isRejectReason('bad_field')).toBe(true);
    expect(isRejectReason('p')).toBe(false);
  });

  it('every reason any venue parser gives for a mutated or garbage frame is a shared code', () => {
    for (const venue of Object.keys(PARSERS)) {
      const seen = reasonsOf(venue, VALID[venue].flatMap(mutations));
      for (const r of seen) expect(isRejectReason(r), `${venue} rejects with ${JSON.stringify(r)}, not a RejectReason`).toBe(true);
      // The mutations do reach the parsers' field checks, not only the JSON layer.
      expect(seen.has(RejectReason.BadField) || seen.has(RejectReason.MissingField), `${venue}: ${[...seen].join(', ')}`).toBe(true);
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        for (const venue of Object.keys(PARSERS)) for (const r of PARSERS[venue](text)) expect(isRejectReason(r), `${venue}: ${r}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same code for the same failure on every venue', () => {
    for (const venue of Object.keys(PARSERS)) {
      expect(PARSERS[venue]('{oops'), venue).toEqual([RejectReason.InvalidJson]);
    }
    // A price field that is there but negative: the field-level code, with the field kept apart from it.
    expect(parseBinanceFrame(FRAMES.spotTrade.replace('"37000.10000000"', '"-1"'), lookupBtc, tsInit)).toMatchObject({ reason: 'negative_price', field: 'p' });
    expect(parsePolygonFrame('[{"ev":"T","sym":"MSFT","i":"1","p":-1,"s":1,"t":1536036818784}]', tsInit).rejections).toMatchObject([{ reason: 'negative_price', field: 'p' }]);
    // A required field that is absent.
    expect(parseBinanceFrame(FRAMES.spotTrade.replace('"t":12345,', ''), lookupBtc, tsInit)).toMatchObject({ reason: 'missing_field', field: 't' });
    expect(parseCoinbaseBookMessage('{"type":"snapshot","product_id":"BTC-USD","asks":[]}')).toMatchObject({ reason: 'missing_field', field: 'bids' });
    expect(parsePolygonFrame('[{"ev":"T","sym":"MSFT","p":1,"s":1,"t":1536036818784}]', tsInit).rejections).toMatchObject([{ reason: 'missing_field', field: 'i' }]);
  });
});
