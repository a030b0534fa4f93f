import type { BookLevelDelta } from '../../core/data.js';
import { BookSide } from '../../core/data.js';
import { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import { parseDecimalSlice } from '../common/decimal-slice.js';
import { MAX_MS, buildDepthDiff, buildQuote, buildTrade } from './parse-build.js';
import type { BinanceMessage, InstrumentLookup, InstrumentPrecision } from './types.js';

// Kinds of a scanned value.
const NONE = 0;
const STR = 1;
const INT = 2; // a JSON number that is a plain non-negative integer
const NUM = 3; // any other JSON number
const TRUE = 4;
const FALSE = 5;
const NULL = 6;
const PAIRS = 7; // an array of [string, string] pairs (depth levels)

// Slots: single-character keys use their char code; a few longer keys get their own.
const SLOT_PU = 128;
const SLOTS = 129;

const C_QUOTE = 34;
/** Escapes and control characters (raw tabs and newlines too) send a frame to the JSON.parse path. */
const CONTROL = /[\\\u0000-\u001f]/;
const C_COMMA = 44;
const C_COLON = 58;
const C_LBRACE = 123;
const C_RBRACE = 125;
const C_LBRACKET = 91;
const C_RBRACKET = 93;

const ENVELOPE_HEAD = '{"stream":"';
const ENVELOPE_DATA = '","data":';
const STREAM_NAME = /^[^"\\\u0000-\u001f]*$/;
const RE_STR = String.raw`"([^"\\\u0000-\u001f]*)"`;
const RE_INT = String.raw`(0|[1-9]\d*)`;
const RE_SKIP_INT = String.raw`(?:0|[1-9]\d*)`;
const RE_BOOL = '(true|false)';
const RE_SKIP_BOOL = '(?:true|false)';

interface TradeLayout {
  readonly re: RegExp;
  /** Capture group numbers of symbol, trade id, price, size, trade time and buyer-is-maker. */
  readonly s: number;
  readonly id: number;
  readonly p: number;
  readonly q: number;
  readonly T: number;
  readonly m: number;
}

/** The trade layouts Binance sends (spot with and without the old `b`/`a` order ids, USD-M futures). */
const TRADE_LAYOUTS: readonly TradeLayout[] = [
  {
    re: new RegExp(String.raw`\{"e":"trade","E":${RE_SKIP_INT},"s":${RE_STR},"t":${RE_INT},"p":${RE_STR},"q":${RE_STR},(?:"b":${RE_SKIP_INT},"a":${RE_SKIP_INT},)?"T":${RE_INT},"m":${RE_BOOL},"M":${RE_SKIP_BOOL}\}`, 'y'),
    s: 1, id: 2, p: 3, q: 4, T: 5, m: 6,
  },
  {
    re: new RegExp(String.raw`\{"e":"aggTrade","E":${RE_SKIP_INT},"s":${RE_STR},"a":${RE_INT},"p":${RE_STR},"q":${RE_STR},"f":${RE_SKIP_INT},"l":${RE_SKIP_INT},"T":${RE_INT},"m":${RE_BOOL},"M":${RE_SKIP_BOOL}\}`, 'y'),
    s: 1, id: 2, p: 3, q: 4, T: 5, m: 6,
  },
  {
    re: new RegExp(String.raw`\{"e":"aggTrade","E":${RE_SKIP_INT},"a":${RE_INT},"s":${RE_STR},"p":${RE_STR},"q":${RE_STR},"f":${RE_SKIP_INT},"l":${RE_SKIP_INT},"T":${RE_INT},"m":${RE_BOOL}\}`, 'y'),
    s: 2, id: 1, p: 3, q: 4, T: 5, m: 6,
  },
  {
    re: new RegExp(String.raw`\{"e":"trade","E":${RE_SKIP_INT},"T":${RE_INT},"s":${RE_STR},"t":${RE_INT},"p":${RE_STR},"q":${RE_STR},"X":${RE_STR},"m":${RE_BOOL}\}`, 'y'),
    s: 2, id: 3, p: 4, q: 5, T: 1, m: 7,
  },
];

const RE_PAIRS = String.raw`\[(?:\[${RE_STR},${RE_STR}\](?:,\[${RE_STR},${RE_STR}\])*)?\]`.replace(/\((?!\?)/g, '(?:');

/** depthUpdate layouts: spot (`e,E,s,U,u,b,a`) and USD-M futures (`e,E,T,s,U,u,pu,b,a`); groups E, T, s, U, u, pu. */
const DEPTH_LAYOUT = new RegExp(
  String.raw`\{"e":"depthUpdate","E":${RE_INT},(?:"T":${RE_INT},)?"s":${RE_STR},"U":${RE_INT},"u":${RE_INT},(?:"pu":${RE_INT},)?"b":${RE_PAIRS},"a":${RE_PAIRS}\}`,
  'y',
);

interface QuoteLayout {
  readonly re: RegExp;
  /** Capture group numbers of symbol, bid, bid size, ask, ask size, and transaction / event time (0: none). */
  readonly s: number;
  readonly b: number;
  readonly B: number;
  readonly a: number;
  readonly A: number;
  readonly T: number;
  readonly E: number;
}

/** bookTicker layouts: spot (no `e`, no time; newer frames add `T` and `E`) and USD-M futures. */
const QUOTE_LAYOUTS: readonly QuoteLayout[] = [
  {
    re: new RegExp(String.raw`\{"u":${RE_SKIP_INT},"s":${RE_STR},"b":${RE_STR},"B":${RE_STR},"a":${RE_STR},"A":${RE_STR}(?:,"T":${RE_INT},"E":${RE_INT})?\}`, 'y'),
    s: 1, b: 2, B: 3, a: 4, A: 5, T: 6, E: 7,
  },
  {
    re: new RegExp(String.raw`\{"e":"bookTicker","u":${RE_SKIP_INT},"E":${RE_INT},"T":${RE_INT},"s":${RE_STR},"b":${RE_STR},"B":${RE_STR},"a":${RE_STR},"A":${RE_STR}\}`, 'y'),
    s: 3, b: 4, B: 5, a: 6, A: 7, T: 2, E: 1,
  },
  {
    // The order seen in live USD-M captures.
    re: new RegExp(String.raw`\{"e":"bookTicker","u":${RE_SKIP_INT},"s":${RE_STR},"b":${RE_STR},"B":${RE_STR},"a":${RE_STR},"A":${RE_STR},"T":${RE_INT},"E":${RE_INT}\}`, 'y'),
    s: 1, b: 2, B: 3, a: 4, A: 5, T: 6, E: 7,
  },
];

/**
 * A scanner specialised to the shapes of Binance market data frames (flat event objects, optionally inside
 * the combined-stream envelope `{"stream":..., "data":{...}}`, depth levels as arrays of string pairs).
 * It validates JSON syntax for what it reads and records where each field's value lies, so that prices and
 * sizes are parsed straight from the frame text; nothing is materialised that the event does not need.
 *
 * It only ever says "here is the event" or "not for me": anything unexpected (escapes in strings, nested
 * objects such as klines, duplicate keys, control replies, a value of an unexpected kind, an unknown symbol,
 * a field that fails validation) returns undefined and the caller falls back to the JSON.parse path, which
 * is the authority on rejections. So both paths produce identical results (checked by property tests).
 */
export class FastFrameScanner {
  private s = '';
  private epoch = 0;
  private readonly stamp = new Uint32Array(SLOTS);
  private readonly start = new Int32Array(SLOTS);
  private readonly end = new Int32Array(SLOTS);
  private readonly kind = new Uint8Array(SLOTS);
  private readonly value = new Float64Array(SLOTS);
  /** Level string offsets: for level k, [priceStart, priceEnd, sizeStart, sizeEnd] at 4k. */
  private levels = new Int32Array(256);
  private levelCount = 0;
  /** Envelope stream name bounds, -1 when the frame is a raw stream. */
  streamStart = -1;
  streamEnd = -1;

  constructor(private readonly lookup: InstrumentLookup) {}

  /** The combined-stream name of the last frame scanned (`btcusdt@trade`), or '' for a raw stream. */
  streamName(): string {
    return this.streamStart < 0 ? '' : this.s.slice(this.streamStart, this.streamEnd);
  }

  parse(frame: string, tsInit: UnixMicros): BinanceMessage | undefined {
    const t = this.exactTrade(frame, tsInit);
    if (t !== undefined) return t;
    if (!this.scan(frame)) return undefined;
    return this.build(tsInit);
  }

  /**
   * Trades are most of the traffic and Binance sends them in a few fixed layouts (field order and set), so
   * these are matched whole by one sticky regular expression per layout: the regex engine validates the
   * entire frame in native code and captures just the fields the event needs. Any other layout goes on to
   * the general scan. Returns undefined when no layout matches or a value fails validation.
   */
  private exactTrade(frame: string, tsInit: UnixMicros): BinanceMessage | undefined {
    let body = 0;
    let end = frame.length;
    if (frame.startsWith(ENVELOPE_HEAD)) {
      const q = frame.indexOf('"', ENVELOPE_HEAD.length);
      if (q < 0 || !frame.startsWith(ENVELOPE_DATA, q) || frame.charCodeAt(end - 1) !== C_RBRACE) return undefined;
      // The stream name must be a plain JSON string (no escapes or control characters).
      if (!STREAM_NAME.test(frame.slice(ENVELOPE_HEAD.length, q))) return undefined;
      body = q + ENVELOPE_DATA.length;
      end--;
    }
    if (frame.charCodeAt(body + 2) === 117 || frame.startsWith('{"e":"bookTicker"', body)) return this.exactQuote(frame, body, end, tsInit);
    if (frame.startsWith('{"e":"depthUpdate"', body)) return this.exactDepth(frame, body, end, tsInit);
    for (let k = 0; k < TRADE_LAYOUTS.length; k++) {
      const layout = TRADE_LAYOUTS[k];
      layout.re.lastIndex = body;
      const m = layout.re.exec(frame);
      if (m === null || layout.re.lastIndex !== end) continue;
      const symbol = m[layout.s];
      let info = this.lastInfo;
      if (symbol !== this.lastSymbol || info === undefined) {
        info = this.lookup(symbol);
        this.lastSymbol = symbol;
        this.lastInfo = info;
      }
      if (info === undefined) return undefined;
      this.s = frame;
      this.streamStart = body === 0 ? -1 : ENVELOPE_HEAD.length;
      this.streamEnd = body === 0 ? -1 : body - ENVELOPE_DATA.length;
      const idText = m[layout.id];
      const id = Number(idText);
      const t = Number(m[layout.T]);
      if (id > Number.MAX_SAFE_INTEGER || t > MAX_MS) return undefined;
      const pText = m[layout.p];
      const qText = m[layout.q];
      const price = parseDecimalSlice(pText, 0, pText.length, info.pricePrecision);
      const size = parseDecimalSlice(qText, 0, qText.length, info.sizePrecision);
      if (!(price > 0 && size > 0)) return undefined;
      return buildTrade(info, price, size, idText, m[layout.m] === 'true', t, tsInit);
    }
    return undefined;
  }

  private exactQuote(frame: string, body: number, end: number, tsInit: UnixMicros): BinanceMessage | undefined {
    for (let k = 0; k < QUOTE_LAYOUTS.length; k++) {
      const layout = QUOTE_LAYOUTS[k];
      layout.re.lastIndex = body;
      const m = layout.re.exec(frame);
      if (m === null || layout.re.lastIndex !== end) continue;
      const symbol = m[layout.s];
      let info = this.lastInfo;
      if (symbol !== this.lastSymbol || info === undefined) {
        info = this.lookup(symbol);
        this.lastSymbol = symbol;
        this.lastInfo = info;
      }
      if (info === undefined) return undefined;
      const tText = m[layout.T];
      const eText = m[layout.E];
      const t = tText === undefined ? -1 : Number(tText);
      const e = eText === undefined ? -1 : Number(eText);
      if (t > MAX_MS || e > MAX_MS) return undefined;
      const pp = info.pricePrecision;
      const sp = info.sizePrecision;
      const bid = parseDecimalSlice(m[layout.b], 0, m[layout.b].length, pp);
      const bidSize = parseDecimalSlice(m[layout.B], 0, m[layout.B].length, sp);
      const ask = parseDecimalSlice(m[layout.a], 0, m[layout.a].length, pp);
      const askSize = parseDecimalSlice(m[layout.A], 0, m[layout.A].length, sp);
      if (!(bid > 0 && ask > 0 && bidSize >= 0 && askSize >= 0)) return undefined;
      this.s = frame;
      this.streamStart = body === 0 ? -1 : ENVELOPE_HEAD.length;
      this.streamEnd = body === 0 ? -1 : body - ENVELOPE_DATA.length;
      return buildQuote(info, bid, bidSize, ask, askSize, t >= 0 ? t : e, tsInit);
    }
    return undefined;
  }

  /** A depth diff matched whole by DEPTH_LAYOUT; levels are then read between the quotes it validated. */
  private exactDepth(frame: string, body: number, end: number, tsInit: UnixMicros): BinanceMessage | undefined {
    const re = DEPTH_LAYOUT;
    re.lastIndex = body;
    const m = re.exec(frame);
    if (m === null || re.lastIndex !== end) return undefined;
    const symbol = m[3];
    let info = this.lastInfo;
    if (symbol !== this.lastSymbol || info === undefined) {
      info = this.lookup(symbol);
      this.lastSymbol = symbol;
      this.lastInfo = info;
    }
    if (info === undefined) return undefined;
    const eventMs = Number(m[1]);
    const t = m[2] === undefined ? -1 : Number(m[2]);
    const first = Number(m[4]);
    const final = Number(m[5]);
    const prev = m[6] === undefined ? -1 : Number(m[6]);
    if (eventMs > MAX_MS || t > MAX_MS || final > Number.MAX_SAFE_INTEGER || prev > Number.MAX_SAFE_INTEGER || final < first) return undefined;
    const deltas: BookLevelDelta[] = [];
    const pp = info.pricePrecision;
    const sp = info.sizePrecision;
    // Strings hold no quote (the layout says so), so `"b":[` and `"a":[` occur once each, as keys.
    const b = frame.indexOf('"b":[', body) + 5;
    const a = frame.indexOf('"a":[', b) + 5;
    if (!this.levelsAt(frame, b, BookSide.Bid, pp, sp, deltas) || !this.levelsAt(frame, a, BookSide.Ask, pp, sp, deltas)) return undefined;
    this.s = frame;
    this.streamStart = body === 0 ? -1 : ENVELOPE_HEAD.length;
    this.streamEnd = body === 0 ? -1 : body - ENVELOPE_DATA.length;
    return buildDepthDiff(info, symbol, first, final, prev, deltas, t >= 0 ? t : eventMs, tsInit);
  }

  /** Reads `["p","q"],...]` from `i` (just after the `[`), which DEPTH_LAYOUT has validated. */
  private levelsAt(frame: string, i: number, side: BookSide, pp: number, sp: number, out: BookLevelDelta[]): boolean {
    while (frame.charCodeAt(i) === C_LBRACKET) {
      const ps = i + 2;
      const pe = frame.indexOf('"', ps);
      const qs = pe + 3;
      const qe = frame.indexOf('"', qs);
      const price = parseDecimalSlice(frame, ps, pe, pp);
      const size = parseDecimalSlice(frame, qs, qe, sp);
      if (!(price > 0 && size >= 0)) return false;
      out.push({ side, price: Price.fromRaw(price, pp), size: Quantity.fromRaw(size, sp) });
      // After `"]` comes `,` and the next level, or the closing `]`.
      i = qe + 2;
      if (frame.charCodeAt(i) === C_COMMA) i++;
    }
    return true;
  }

  // ---- scanning ----

  /** Skips spaces; tabs and newlines never reach here (see CONTROL). */
  private ws(p: number): number {
    const s = this.s;
    while (s.charCodeAt(p) === 32) p++;
    return p;
  }

  /** Position after the closing quote of a string starting at `p` (the opening quote), or -1. */
  private str(p: number): number {
    // No backslash or control character is in the frame (checked once in scan), so the next quote closes it.
    const e = this.s.indexOf('"', p + 1);
    return e < 0 ? -1 : e + 1;
  }

  /**
   * Scans a JSON number at `p`. When it is a plain non-negative integer, `numInt` is set and `numValue`
   * holds its value (accumulated while scanning, so ids and times need no second pass). Returns end or -1.
   */
  private numInt = false;
  private numValue = 0;
  private num(p: number): number {
    const s = this.s;
    let i = p;
    let c = s.charCodeAt(i);
    let plain = true;
    if (c === 45) {
      plain = false;
      c = s.charCodeAt(++i);
    }
    let v = 0;
    if (c === 48) c = s.charCodeAt(++i);
    else if (c >= 49 && c <= 57) {
      do {
        v = v * 10 + (c - 48);
        c = s.charCodeAt(++i);
      } while (c >= 48 && c <= 57);
    } else return -1;
    if (c === 46) {
      plain = false;
      c = s.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      plain = false;
      c = s.charCodeAt(++i);
      if (c === 43 || c === 45) c = s.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57);
    }
    this.numInt = plain && v <= Number.MAX_SAFE_INTEGER;
    this.numValue = v;
    return i;
  }

  private lit(p: number, word: string): number {
    return this.s.startsWith(word, p) ? p + word.length : -1;
  }

  /** Scans `[["p","q"],...]` at `p`, recording string offsets. Returns end or -1. */
  private pairs(p: number): number {
    let i = this.ws(p + 1);
    if (this.s.charCodeAt(i) === C_RBRACKET) return i + 1;
    for (;;) {
      if (this.s.charCodeAt(i) !== C_LBRACKET) return -1;
      const ps = this.ws(i + 1);
      if (this.s.charCodeAt(ps) !== C_QUOTE) return -1;
      const pe = this.str(ps);
      if (pe < 0) return -1;
      i = this.ws(pe);
      if (this.s.charCodeAt(i) !== C_COMMA) return -1;
      const qs = this.ws(i + 1);
      if (this.s.charCodeAt(qs) !== C_QUOTE) return -1;
      const qe = this.str(qs);
      if (qe < 0) return -1;
      i = this.ws(qe);
      if (this.s.charCodeAt(i) !== C_RBRACKET) return -1;
      const k = this.levelCount * 4;
      if (k + 4 > this.levels.length) {
        const grown = new Int32Array(this.levels.length * 2);
        grown.set(this.levels);
        this.levels = grown;
      }
      this.levels[k] = ps + 1;
      this.levels[k + 1] = pe - 1;
      this.levels[k + 2] = qs + 1;
      this.levels[k + 3] = qe - 1;
      this.levelCount++;
      i = this.ws(i + 1);
      const c = this.s.charCodeAt(i);
      if (c === C_RBRACKET) return i + 1;
      if (c !== C_COMMA) return -1;
      i = this.ws(i + 1);
    }
  }

  /** Scans a flat event object at `p` (the `{`) into the slots. Returns end or -1. */
  private object(p: number, envelope: boolean): number {
    const s = this.s;
    let i = this.ws(p + 1);
    if (s.charCodeAt(i) === C_RBRACE) return i + 1;
    for (;;) {
      if (s.charCodeAt(i) !== C_QUOTE) return -1;
      const key0 = s.charCodeAt(i + 1);
      // Most keys are one character: `"e"`.
      const ke = s.charCodeAt(i + 2) === C_QUOTE && key0 !== C_QUOTE ? i + 3 : this.str(i);
      if (ke < 0) return -1;
      const keyLen = ke - i - 2;
      let v = this.ws(ke);
      if (s.charCodeAt(v) !== C_COLON) return -1;
      v = this.ws(v + 1);
      const c = s.charCodeAt(v);
      if (envelope) {
        // Top level of a combined-stream frame: only `stream` and `data`.
        if (keyLen === 6 && s.startsWith('stream', i + 1) && c === C_QUOTE && this.streamStart < 0) {
          const e = this.str(v);
          if (e < 0) return -1;
          this.streamStart = v + 1;
          this.streamEnd = e - 1;
          i = e;
        } else if (keyLen === 4 && s.startsWith('data', i + 1) && c === C_LBRACE && this.stamp[0] !== this.epoch) {
          this.stamp[0] = this.epoch; // slot 0 (NUL key) marks "data seen"
          i = this.object(v, false);
          if (i < 0) return -1;
        } else return -1;
      } else {
        let slot = -1;
        if (keyLen === 1 && key0 < 128 && key0 > 0) slot = key0;
        else if (keyLen === 2 && key0 === 112 && s.charCodeAt(i + 2) === 117) slot = SLOT_PU;
        else if (keyLen === 6 && (s.startsWith('stream', i + 1) || s.startsWith('result', i + 1))) return -1;
        else if (keyLen === 4 && s.startsWith('data', i + 1)) return -1;
        else if (keyLen === 2 && key0 === 105 && s.charCodeAt(i + 2) === 100) return -1; // "id": a control reply
        else if (keyLen === 5 && s.startsWith('error', i + 1)) return -1;
        if (slot >= 0) {
          if (this.stamp[slot] === this.epoch) return -1; // duplicate key: let JSON.parse decide
          this.stamp[slot] = this.epoch;
          this.start[slot] = v;
        }
        let e: number;
        let k: number;
        if (c === C_QUOTE) {
          e = this.str(v);
          k = STR;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          e = this.num(v);
          k = this.numInt ? INT : NUM;
          if (slot >= 0) this.value[slot] = this.numValue;
        } else if (c === 116) {
          e = this.lit(v, 'true');
          k = TRUE;
        } else if (c === 102) {
          e = this.lit(v, 'false');
          k = FALSE;
        } else if (c === 110) {
          e = this.lit(v, 'null');
          k = NULL;
        } else if (c === C_LBRACKET && (slot === 98 || slot === 97)) {
          const first = this.levelCount;
          e = this.pairs(v);
          k = PAIRS;
          // For PAIRS, start/end hold the first level index and the count.
          this.start[slot] = first;
          this.end[slot] = this.levelCount - first;
        } else return -1;
        if (e < 0) return -1;
        if (slot >= 0) {
          this.kind[slot] = k;
          if (k === STR) {
            this.start[slot] = v + 1;
            this.end[slot] = e - 1;
          } else if (k !== PAIRS) this.end[slot] = e;
        }
        i = e;
      }
      i = this.ws(i);
      const d = s.charCodeAt(i);
      if (d === C_RBRACE) return i + 1;
      if (d !== C_COMMA) return -1;
      i = this.ws(i + 1);
    }
  }

  private scan(frame: string): boolean {
    this.s = frame;
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    if (CONTROL.test(frame)) return false;
    this.levelCount = 0;
    this.streamStart = -1;
    this.streamEnd = -1;
    const p = this.ws(0);
    if (frame.charCodeAt(p) !== C_LBRACE) return false;
    const q = this.ws(p + 1);
    const envelope = frame.charCodeAt(q) === C_QUOTE && (frame.startsWith('"stream"', q) || frame.startsWith('"data"', q));
    const e = this.object(p, envelope);
    if (e < 0 || this.ws(e) !== frame.length) return false;
    if (envelope && (this.streamStart < 0 || this.stamp[0] !== this.epoch)) return false;
    return true;
  }

  // ---- building ----

  private has(slot: number): boolean {
    return this.stamp[slot] === this.epoch;
  }

  private kindOf(slot: number): number {
    return this.stamp[slot] === this.epoch ? this.kind[slot] : NONE;
  }

  /** A non-negative safe integer field, or -1 when absent or of another kind. */
  private int(slot: number): number {
    return this.kindOf(slot) === INT ? this.value[slot] : -1;
  }

  private isStr(slot: number, text: string): boolean {
    return this.kindOf(slot) === STR && this.end[slot] - this.start[slot] === text.length && this.s.startsWith(text, this.start[slot]);
  }

  private decimal(slot: number, precision: number): number {
    return this.kindOf(slot) === STR ? parseDecimalSlice(this.s, this.start[slot], this.end[slot], precision) : Number.NaN;
  }

  private build(tsInit: UnixMicros): BinanceMessage | undefined {
    const E = 69;
    const e = 101;
    if (this.isStr(e, 'trade')) return this.trade(116, tsInit);
    if (this.isStr(e, 'aggTrade')) return this.trade(97, tsInit);
    if (this.isStr(e, 'depthUpdate')) return this.depth(tsInit);
    if (this.isStr(e, 'bookTicker') || (!this.has(e) && this.has(117) && this.has(98) && this.has(97))) return this.quote(tsInit, E);
    return undefined;
  }

  private lastSymbol = '';
  private lastInfo: InstrumentPrecision | undefined;

  private symbolInfo(): InstrumentPrecision | undefined {
    if (this.kindOf(115) !== STR) return undefined;
    const start = this.start[115];
    const len = this.end[115] - start;
    // A connection mostly carries runs of the same symbol: skip the substring and the lookup then.
    if (len === this.lastSymbol.length && this.lastInfo !== undefined && this.s.startsWith(this.lastSymbol, start)) return this.lastInfo;
    const symbol = this.s.slice(start, start + len);
    const info = this.lookup(symbol);
    this.lastSymbol = symbol;
    this.lastInfo = info;
    return info;
  }

  private trade(idSlot: number, tsInit: UnixMicros): BinanceMessage | undefined {
    const info = this.symbolInfo();
    if (info === undefined) return undefined;
    const id = this.int(idSlot);
    const t = this.int(84);
    const m = this.kindOf(109);
    if (id < 0 || t < 0 || t > MAX_MS || (m !== TRUE && m !== FALSE)) return undefined;
    const price = this.decimal(112, info.pricePrecision);
    const size = this.decimal(113, info.sizePrecision);
    if (!(price > 0 && size > 0)) return undefined;
    return buildTrade(info, price, size, this.s.slice(this.start[idSlot], this.end[idSlot]), m === TRUE, t, tsInit);
  }

  /** Optional time field: -1 when absent, -2 when present but not a valid time. */
  private optTime(slot: number): number {
    if (!this.has(slot)) return -1;
    const v = this.int(slot);
    return v < 0 || v > MAX_MS ? -2 : v;
  }

  private quote(tsInit: UnixMicros, E: number): BinanceMessage | undefined {
    const info = this.symbolInfo();
    if (info === undefined || this.int(117) < 0) return undefined;
    const pp = info.pricePrecision;
    const sp = info.sizePrecision;
    const bid = this.decimal(98, pp);
    const bidSize = this.decimal(66, sp);
    const ask = this.decimal(97, pp);
    const askSize = this.decimal(65, sp);
    const t = this.optTime(84);
    const ev = this.optTime(E);
    if (!(bid > 0 && ask > 0 && bidSize >= 0 && askSize >= 0) || t === -2 || ev === -2) return undefined;
    return buildQuote(info, bid, bidSize, ask, askSize, t >= 0 ? t : ev, tsInit);
  }

  private depth(tsInit: UnixMicros): BinanceMessage | undefined {
    const info = this.symbolInfo();
    if (info === undefined) return undefined;
    const first = this.int(85);
    const final = this.int(117);
    const hasPu = this.has(SLOT_PU);
    const prev = hasPu ? this.int(SLOT_PU) : -1;
    const eventMs = this.int(69);
    const t = this.optTime(84);
    if (first < 0 || final < first || (hasPu && prev < 0) || eventMs < 0 || eventMs > MAX_MS || t === -2) return undefined;
    if (this.kindOf(98) !== PAIRS || this.kindOf(97) !== PAIRS) return undefined;
    const deltas: BookLevelDelta[] = [];
    if (!this.levelsInto(98, BookSide.Bid, info.pricePrecision, info.sizePrecision, deltas)) return undefined;
    if (!this.levelsInto(97, BookSide.Ask, info.pricePrecision, info.sizePrecision, deltas)) return undefined;
    const symbol = this.s.slice(this.start[115], this.end[115]);
    return buildDepthDiff(info, symbol, first, final, prev, deltas, t >= 0 ? t : eventMs, tsInit);
  }

  private levelsInto(slot: number, side: BookSide, pp: number, sp: number, out: BookLevelDelta[]): boolean {
    const s = this.s;
    const lv = this.levels;
    for (let k = this.start[slot], n = k + this.end[slot]; k < n; k++) {
      const o = k * 4;
      const price = parseDecimalSlice(s, lv[o], lv[o + 1], pp);
      const size = parseDecimalSlice(s, lv[o + 2], lv[o + 3], sp);
      if (!(price > 0 && size >= 0)) return false;
      out.push({ side, price: Price.fromRaw(price, pp), size: Quantity.fromRaw(size, sp) });
    }
    return true;
  }
}
