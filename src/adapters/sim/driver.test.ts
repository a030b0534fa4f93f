import { describe, expect, it } from 'vitest';
import { ClockDriver } from './driver.js';

function target() {
  const steps: number[] = [];
  const t = {
    nowUs: 0,
    advanceTo(us: number) {
      steps.push(us - t.nowUs);
      t.nowUs = us;
    },
  };
  return { t, steps };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ClockDriver', () => {
  it('follows the wall clock at the given speed', async () => {
    const { t } = target();
    let wall = 1_000;
    const d = new ClockDriver(t, { speed: 2, tickMs: 1, wallNowMs: () => wall });
    d.start();
    wall += 30; // 30 ms of real time = 60 ms simulated
    await sleep(20);
    d.stop();
    expect(t.nowUs).toBe(60_000);
  });

  it('falls behind instead of catching up in one burst when it cannot keep up', async () => {
    const { t, steps } = target();
    let wall = 0;
    const d = new ClockDriver(t, { speed: 1, tickMs: 1, wallNowMs: () => wall, maxStepUs: 5_000 });
    d.start();
    wall += 10_000; // ten seconds behind at once
    await sleep(30);
    d.stop();
    expect(Math.max(...steps)).toBeLessThanOrEqual(5_000);
    expect(t.nowUs).toBeLessThan(10_000_000);
    expect(t.nowUs).toBeGreaterThan(0);
  });

  it('runs as fast as possible in slices and stops at the end', async () => {
    const { t, steps } = target();
    let ended = false;
    const d = new ClockDriver(t, { speed: Number.POSITIVE_INFINITY, sliceUs: 1_000, untilUs: 10_000, onEnd: () => (ended = true) });
    d.start();
    for (let i = 0; i < 100 && !ended; i++) await sleep(1);
    expect(ended).toBe(true);
    expect(t.nowUs).toBe(10_000);
    expect(steps.every((s) => s <= 1_000)).toBe(true);
    expect(() => new ClockDriver(t, { speed: 0 })).toThrow(/speed/);
  });
});
