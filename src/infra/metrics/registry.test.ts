import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './registry.js';

describe('createMetricsRegistry', () => {
  it('exposes default process metrics and registered counters with default labels', async () => {
    const registry = createMetricsRegistry({ service: 'test' });
    const counter = new Counter({ name: 'tradewind_test_events_total', help: 'events', registers: [registry] });
    counter.inc(3);
    const text = await registry.metrics();
    expect(text).toMatch(/tradewind_process_cpu_user_seconds_total\{service="test"\}/);
    expect(text).toMatch(/tradewind_test_events_total\{service="test"\} 3/);
  });
});
