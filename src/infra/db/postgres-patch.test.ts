import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * postgres.js 3.4.9 can throw an uncaught TypeError from a deferred write after its socket closed
 * (porsager/postgres#1066, #1154, #1208), which takes the process down when PostgreSQL restarts: seen here
 * once in about ten runs of test/storage/pg-restart.test.ts. patches/postgres+3.4.9.patch (applied by
 * `patch-package` on `npm ci`) adds the guard proposed upstream. This checks the installed copy has it.
 */
describe('the installed postgres.js', () => {
  // the package exports no package.json: go up from its CommonJS entry, cjs/src/index.js
  const root = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..');
  it.each(['src/connection.js', 'cjs/src/connection.js'])('%s skips a deferred write once its socket is gone', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).toMatch(/function nextWrite\(fn\) \{\s*if \(socket === null\)/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version).toBe('3.4.9');
  });
});
