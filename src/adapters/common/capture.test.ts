import { describe, expect, it } from 'vitest';
import { parseCapture, secondsToMicros } from './capture.js';

describe('parseCapture', () => {
  it('reads connect, sent, received and REST lines with receive times in microseconds', () => {
    const text = [
      'wss://stream.example/stream?streams=a@trade <-> 1633998511.159679',
      'wss://stream.example/stream?streams=a@trade <- 1633998511.2: {"method":"SUBSCRIBE","id":1}',
      '1633998512.0633569: {"stream":"a@trade","data":{}}',
      '',
      'https://api.example/api/v3/depth?symbol=A&limit=10 -> 1633998512.5: {"lastUpdateId":1}',
      'garbage',
      '1633998513: {"x":1}\r',
    ].join('\n');
    const { records, badLines } = parseCapture(text);
    expect(records.map((r) => [r.kind, r.ts, 'text' in r ? r.text : '', r.line])).toEqual([
      ['connect', 1633998511159679, '', 1],
      ['sent', 1633998511200000, '{"method":"SUBSCRIBE","id":1}', 2],
      ['received', 1633998512063356, '{"stream":"a@trade","data":{}}', 3],
      ['http', 1633998512500000, '{"lastUpdateId":1}', 5],
      ['received', 1633998513000000, '{"x":1}', 7],
    ]);
    expect(records[2].url).toBe('wss://stream.example/stream?streams=a@trade');
    expect(badLines).toEqual([6]);
  });

  it('converts seconds exactly and refuses non-numbers', () => {
    expect(secondsToMicros('1.5')).toBe(1_500_000);
    expect(secondsToMicros('x')).toBeNaN();
  });
});
