import { describe, expect, it } from 'vitest';
import { stageClock } from '../../src/base/stage-clock.js';

describe('stageClock', () => {
  it('charges each lap to its stage, adds up repeated stages, and lists named stages first at 0', async () => {
    const clock = stageClock(['load', 'skipped', 'write']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.lap('load');
    clock.lap('write');
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.lap('write');
    expect(Object.keys(clock.seconds)).toEqual(['load', 'skipped', 'write']);
    expect(clock.seconds.load).toBeGreaterThanOrEqual(0.015);
    expect(clock.seconds.skipped).toBe(0);
    expect(clock.seconds.write).toBeGreaterThanOrEqual(0.015);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(clock.seconds.load + clock.seconds.write - 1e-9);
  });
});
