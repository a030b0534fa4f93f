import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference, configReference } from '../scripts/gen-docs.js';
import { commands } from '../src/cli/commands/index.js';

describe('generated references', () => {
  it('docs/cli.md matches every command\'s --help (run `npx tsx scripts/gen-docs.ts` after changing a command)', () => {
    expect(readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8')).toBe(cliReference());
  });

  it('docs/configuration.md matches the config schema', () => {
    expect(readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8')).toBe(configReference());
  });

  it('every command has a summary and a help text that starts with its usage', () => {
    for (const c of commands) {
      expect(c.summary.length, c.name).toBeGreaterThan(10);
      expect(c.help, c.name).toMatch(new RegExp(`^Usage: tradewind ${c.name}`));
    }
  });
});
