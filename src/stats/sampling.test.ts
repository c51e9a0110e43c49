import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';
import { normalFactor, sampleBeta, sampleGamma, sampleMultivariateNormal, standardNormal } from './sampling.ts';

const DRAWS = 40_000;
/** Sample means are checked to within Z standard errors: a false alarm has probability ~6e-7 per check. */
const Z = 5;

function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) };
}

describe('seeded samplers', () => {
  it('are deterministic given the seed', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 50; i++) expect(sampleBeta(0.3, 2, a)).toBe(sampleBeta(0.3, 2, b));
  });

  it.each([
    ['normal', (r: ReturnType<typeof seededRandom>) => standardNormal(r), 0, 1],
    ['gamma(2.5, 2)', (r: ReturnType<typeof seededRandom>) => sampleGamma(2.5, r, 2), 5, 10],
    ['gamma(0.3)', (r: ReturnType<typeof seededRandom>) => sampleGamma(0.3, r), 0.3, 0.3],
    ['beta(2, 5)', (r: ReturnType<typeof seededRandom>) => sampleBeta(2, 5, r), 2 / 7, 10 / (49 * 8)],
    ['beta(0.05, 0.5)', (r: ReturnType<typeof seededRandom>) => sampleBeta(0.05, 0.5, r), 0.05 / 0.55, (0.025) / (0.55 ** 2 * 1.55)],
  ])('%s has the right mean', (_name, draw, mean, variance) => {
    const random = seededRandom(2024);
    const xs = Array.from({ length: DRAWS }, () => draw(random));
    expect(xs.every(Number.isFinite)).toBe(true);
    const stats = meanAndVariance(xs);
    expect(Math.abs(stats.mean - mean)).toBeLessThan(Z * Math.sqrt(variance / DRAWS));
    expect(stats.variance / variance).toBeGreaterThan(0.9);
    expect(stats.variance / variance).toBeLessThan(1.1);
  });

  it('multivariate normal reproduces the covariance', () => {
    const cov = [[2, 0.6], [0.6, 1]];
    const factor = normalFactor([1, -1], cov);
    expect(factor.jitter).toBe(0);
    const random = seededRandom(5);
    const xs = Array.from({ length: DRAWS }, () => sampleMultivariateNormal(factor, random));
    const m0 = xs.reduce((a, x) => a + (x[0] as number), 0) / DRAWS;
    const m1 = xs.reduce((a, x) => a + (x[1] as number), 0) / DRAWS;
    const c01 = xs.reduce((a, x) => a + ((x[0] as number) - m0) * ((x[1] as number) - m1), 0) / (DRAWS - 1);
    expect(Math.abs(m0 - 1)).toBeLessThan(Z * Math.sqrt(2 / DRAWS));
    expect(Math.abs(m1 + 1)).toBeLessThan(Z * Math.sqrt(1 / DRAWS));
    // Var of a sample covariance ≈ (σ₀₀σ₁₁ + σ₀₁²)/n.
    expect(Math.abs(c01 - 0.6)).toBeLessThan(Z * Math.sqrt((2 + 0.36) / DRAWS));
  });

  it('adds documented jitter to a singular covariance, and refuses an indefinite one', () => {
    const factor = normalFactor([0, 0], [[1, 1], [1, 1]]);
    expect(factor.jitter).toBeGreaterThan(0);
    expect(factor.jitter).toBeLessThanOrEqual(1e-6);
    const x = sampleMultivariateNormal(factor, seededRandom(1));
    expect(Math.abs((x[0] as number) - (x[1] as number))).toBeLessThan(1e-4);
    expect(() => normalFactor([0, 0], [[1, 2], [2, 1]])).toThrow(RangeError);
  });
});
