import { describe, expect, it } from 'vitest';
import { linearScale, niceDomain, timeTicks } from './scale.ts';

describe('chart scales', () => {
  it('maps a domain onto a range, reversed ranges included', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect(s(0)).toBe(100);
    expect(s(2.5)).toBe(75);
    expect(s(10)).toBe(0);
    expect(linearScale([3, 3], [0, 50])(3)).toBe(25);
  });

  it('widens a domain to round ticks', () => {
    expect(niceDomain([0.013, 0.087])).toEqual({ domain: [0, 0.1], ticks: [0, 0.02, 0.04, 0.06, 0.08, 0.1] });
    expect(niceDomain([-3.2, 7.9], 5).ticks).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(niceDomain([0.1 + 0.2, 0.7]).ticks.every((t) => String(t).length < 6)).toBe(true);
  });

  it('always includes the reference value, and survives empty or constant input', () => {
    expect(niceDomain([2, 5], 5, [0]).domain[0]).toBe(0);
    expect(niceDomain([]).domain).toEqual([0, 1]);
    const single = niceDomain([4]);
    expect(single.domain[0]).toBeLessThan(4);
    expect(single.domain[1]).toBeGreaterThan(4);
    expect(niceDomain([Number.NaN, 1, 2]).ticks.length).toBeGreaterThan(1);
  });

  it('spaces time ticks evenly', () => {
    expect(timeTicks(0, 100, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(timeTicks(5, 5)).toEqual([5]);
  });
});
