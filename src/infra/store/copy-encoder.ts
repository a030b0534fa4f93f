import type { TradeTick } from '../../core/index.js';

/**
 * Writes trades straight into a byte buffer in PostgreSQL COPY text format. Building a JavaScript string
 * per row and concatenating cost more than the COPY itself on the server; writing ASCII digits into a
 * reused buffer does not allocate per row.
 */
export class TradeCopyEncoder {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  private readonly digits = new Uint8Array(24);

  encode(trades: readonly TradeTick[]): Buffer {
    this.pos = 0;
    this.reserve(trades.length * 96);
    let lastId = '';
    let idBytes: Buffer = Buffer.alloc(0);
    for (const t of trades) {
      if (t.instrumentId !== lastId) {
        lastId = t.instrumentId;
        idBytes = Buffer.from(escapeCopy(lastId), 'utf8');
      }
      this.reserve(idBytes.length + t.tradeId.length * 2 + 96);
      idBytes.copy(this.buf, this.pos);
      this.pos += idBytes.length;
      this.byte(9);
      this.int(t.tsEvent);
      this.byte(9);
      this.text(t.tradeId);
      this.byte(9);
      this.fixed(t.price.raw, t.price.precision);
      this.byte(9);
      this.fixed(t.size.raw, t.size.precision);
      this.byte(9);
      this.byte(t.aggressorSide === 'BUYER' ? 66 : t.aggressorSide === 'SELLER' ? 83 : 78); // B S N
      this.byte(9);
      this.int(t.tsInit);
      this.byte(10);
    }
    // A copy: the next encode reuses the buffer while this batch may still be in flight.
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** Plain ASCII without COPY specials is copied byte by byte; anything else is escaped and UTF-8 encoded. */
  private text(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 126 || c < 32 || c === 92) {
        this.pos += this.buf.write(escapeCopy(s.slice(i)), this.pos, 'utf8');
        return;
      }
      this.buf[this.pos++] = c;
    }
  }

  /** A safe integer in decimal. */
  private int(n: number): void {
    if (n < 0) {
      this.byte(45);
      n = -n;
    }
    let k = 0;
    do {
      const q = Math.floor(n / 10);
      this.digits[k++] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
    while (k > 0) this.buf[this.pos++] = this.digits[--k];
  }

  /** raw / 10^precision with exactly `precision` decimals. */
  private fixed(raw: number, precision: number): void {
    if (precision === 0) {
      this.int(raw);
      return;
    }
    if (raw < 0) {
      this.byte(45);
      raw = -raw;
    }
    let k = 0;
    let n = raw;
    // at least precision + 1 digits, so that 5 at precision 2 comes out as 0.05
    do {
      const q = Math.floor(n / 10);
      this.digits[k++] = 48 + (n - q * 10);
      n = q;
    } while (n > 0 || k <= precision);
    while (k > 0) {
      if (k === precision) this.buf[this.pos++] = 46;
      this.buf[this.pos++] = this.digits[--k];
    }
  }
}

/** Escapes backslash, tab, newline and carriage return for a COPY text field. */
export function escapeCopy(s: string): string {
  if (!/[\\\t\n\r]/.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
