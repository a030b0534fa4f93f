/**
 * Benchmark dispatcher: `npm run bench -- <name>... [--options]` runs bench/<name>.ts for each name given, in
 * order, passing every argument from the first `-`-prefixed one on to each; with no name, every bench/*.ts
 * except this file. Each benchmark exports `run(args: string[]): Promise<void>`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
// Helper modules live in bench/ too (e.g. a child process a benchmark spawns, which starts work when imported):
// only a file that exports `run` is a benchmark, decided from its text so that nothing else is ever imported.
const EXPORTS_RUN = /export\s+(async\s+)?function\s+run\s*\(|export\s+const\s+run\s*=/;
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .filter((f) => EXPORTS_RUN.test(readFileSync(join(here, f), 'utf8')))
  .map((f) => f.slice(0, -3))
  .sort();

async function main(argv: string[]): Promise<number> {
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  const given = firstOption < 0 ? argv : argv.slice(0, firstOption);
  const args = firstOption < 0 ? [] : argv.slice(firstOption);
  const names = given.length === 0 ? available : given;
  for (const name of names) {
    if (!available.includes(name)) {
      process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(', ') || '(none)'}\n`);
      return 2;
    }
  }
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`bench/${name}.ts does not export run(args)\n`);
      return 2;
    }
    process.stdout.write(`== bench ${name}\n`);
    await mod.run(args);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
