import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ORDER_STATE_TABLE } from './state-table.js';
import { ORDER_STATUSES } from './enums.js';
import type { OrderEventType } from './events.js';

/** Keeps the table in docs/domain-model.md true to ORDER_STATE_TABLE. */
describe('docs/domain-model.md state table', () => {
  it('matches ORDER_STATE_TABLE cell by cell', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/domain-model.md', import.meta.url)), 'utf8');
    const lines = doc.split('\n').filter((l) => l.startsWith('| '));
    const header = lines.find((l) => l.startsWith('| status \\ event'));
    expect(header).toBeDefined();
    const columns = (header as string).split('|').slice(2, -1).map((c) => `Order${c.trim()}` as OrderEventType);
    const names: Record<string, string> = { FILL: 'FILL', LATE: 'LATE_FILL', PREV: 'PREVIOUS' };
    const seen = new Set<string>();
    for (const status of ORDER_STATUSES) {
      const row = lines.find((l) => l.startsWith(`| ${status} |`));
      expect(row, status).toBeDefined();
      seen.add(status);
      const cells = (row as string).split('|').slice(2, -1).map((c) => c.trim().replace(/[¹²]/g, ''));
      expect(cells).toHaveLength(columns.length);
      columns.forEach((col, i) => {
        const expected = ORDER_STATE_TABLE[status][col];
        expect(cells[i] === '' ? undefined : (names[cells[i]] ?? cells[i]), `${status} x ${col}`).toBe(expected);
      });
      expect(ORDER_STATE_TABLE[status].OrderInitialized).toBeUndefined();
    }
    expect(seen.size).toBe(ORDER_STATUSES.length);
  });
});
