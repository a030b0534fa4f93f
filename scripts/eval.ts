/**
 * `npm run eval [-- <name>...]`: runs the checks on real data in scripts/eval/<name>.ts (all of them when no
 * name is given). Each exports `run(dataDir): Promise<boolean>`. The data folder is TRADEWIND_DATA_DIR, by
 * default ../shared/data next to the project. Exits 1 when a check fails, 2 when the data folder or a named
 * check is missing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dataDir = resolve(root, process.env.TRADEWIND_DATA_DIR ?? '../shared/data');
const evalDir = join(here, 'eval');

if (!existsSync(dataDir)) {
  console.error(`eval: the data folder ${dataDir} does not exist; set TRADEWIND_DATA_DIR to the shared data folder (see its README.md)`);
  process.exit(2);
}

const available = readdirSync(evalDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const asked = process.argv.slice(2).filter((a) => a !== '--');
const names = asked.length > 0 ? asked : available;
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`eval: no such check: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}

const results: [string, boolean, number][] = [];
for (const name of names) {
  const started = process.hrtime.bigint();
  const mod = (await import(pathToFileURL(join(evalDir, `${name}.ts`)).href)) as { run(dataDir: string): Promise<boolean> };
  let ok = false;
  try {
    ok = await mod.run(dataDir);
  } catch (err) {
    console.error(`eval ${name}: ${(err as Error).stack ?? String(err)}`);
  }
  results.push([name, ok, Number(process.hrtime.bigint() - started) / 1e9]);
  console.log('');
}
console.log('eval summary:');
for (const [name, ok, s] of results) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}  (${s.toFixed(1)} s)`);
const failed = results.filter(([, ok]) => !ok).length;
if (failed > 0) {
  console.error(`eval: ${failed} check(s) failed`);
  process.exit(1);
}
