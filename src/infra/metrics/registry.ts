import { Registry, collectDefaultMetrics } from 'prom-client';

export { Registry } from 'prom-client';

/** One registry per process (DESIGN.md), with the process and Node.js default metrics under `tradewind_`. */
export function createMetricsRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: 'tradewind_' });
  return registry;
}
