/**
 * Layer rule of DESIGN.md: dependencies point inward only.
 * core <- compute <- kernel <- (ml, backtest) <- (adapters, infra) <- services <- cli
 */
const layers = {
  core: [],
  compute: ['core'],
  kernel: ['core', 'compute'],
  ml: ['core', 'compute', 'kernel'],
  backtest: ['core', 'compute', 'kernel', 'ml'],
  adapters: ['core', 'compute', 'kernel', 'ml', 'backtest'],
  infra: ['core', 'compute', 'kernel', 'ml', 'backtest'],
  services: ['core', 'compute', 'kernel', 'ml', 'backtest', 'adapters', 'infra'],
  cli: ['core', 'compute', 'kernel', 'ml', 'backtest', 'adapters', 'infra', 'services'],
};

const forbidden = Object.entries(layers).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only from: ${allowed.join(', ') || 'nothing in src'} (DESIGN.md)`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^src/([^/]+)/',
    pathNot: [`^src/${layer}/`, ...allowed.map((l) => `^src/${l}/`)],
  },
}));

forbidden.push({
  name: 'core-compute-no-packages',
  comment: 'core and compute import nothing from outside the standard library (DESIGN.md)',
  severity: 'error',
  from: { path: '^src/(core|compute)/', pathNot: ['\\.test\\.ts$', '/testing/'] }, // test support may use vitest and the talib reference
  to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
});

forbidden.push({
  name: 'no-test-support-in-production',
  comment: 'testing/ folders (vitest, the talib reference) are for tests, evaluations and benchmarks only',
  severity: 'error',
  from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/testing/'] },
  to: { path: '^src/.*/testing/' },
});

forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
