import { describe, expect, it } from 'vitest';
import {
  betaCdf, betaQuantile, betaSf, chiSquareCdf, chiSquareSf, fCdf, fQuantile, fSf, gammaCdf, gammaSf,
  normalCdf, normalQuantile, normalSf, tCdf, tQuantile, tSf, tTwoSidedP,
} from './distributions.ts';

/** Relative error, for comparing with reference values. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// Reference values printed by Debian's scipy 1.10.1 (python3-scipy), e.g. `stats.t.sf(8, 1000)`.
describe('distributions against scipy reference values', () => {
  it('normal', () => {
    expect(rel(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-15);
    expect(rel(normalCdf(-8), 6.22096057427174e-16)).toBeLessThan(1e-13);
    expect(rel(normalSf(8), 6.22096057427174e-16)).toBeLessThan(1e-13);
    expect(normalSf(1, 1, 2)).toBeCloseTo(0.5, 15);
  });

  it('Student t, including a far right tail', () => {
    expect(rel(tQuantile(0.975, 10), 2.2281388519862747)).toBeLessThan(1e-15);
    expect(rel(tSf(8, 1000), 1.7133307411957495e-15)).toBeLessThan(1e-12);
    expect(rel(tCdf(2, 5), 0.9490302605850709)).toBeLessThan(1e-14);
    expect(tTwoSidedP(2, Infinity)).toBeCloseTo(2 * normalSf(2), 15);
  });

  it('F: right tail by the incomplete beta, exact far out', () => {
    expect(rel(fSf(3, 2, 20), 1.3 ** -10)).toBeLessThan(1e-14);
    expect(rel(fSf(50, 3, 1000), 4.110582339168252e-30)).toBeLessThan(1e-10); // 1 - cdf would give 0
    expect(fSf(50, 3, 1000)).toBeGreaterThan(0);
    expect(fCdf(3, 2, 20) + fSf(3, 2, 20)).toBeCloseTo(1, 14);
    expect(rel(fQuantile(0.95, 3, 50), 2.790008406402202)).toBeLessThan(1e-12);
  });

  it('chi-square, beta and gamma', () => {
    expect(rel(chiSquareSf(3.841458820694124, 1), 0.05)).toBeLessThan(1e-12);
    expect(chiSquareCdf(2, 3) + chiSquareSf(2, 3)).toBeCloseTo(1, 14);
    expect(rel(chiSquareSf(200, 1), 2.0884875837625688e-45)).toBeLessThan(1e-10);
    expect(rel(betaCdf(0.3, 2.5, 7.1), 0.6490225790210132)).toBeLessThan(1e-12);
    expect(betaCdf(0.3, 2.5, 7.1) + betaSf(0.3, 2.5, 7.1)).toBeCloseTo(1, 14);
    expect(rel(betaQuantile(0.05, 31, 971), 0.0225076274889117)).toBeLessThan(1e-12);
    expect(gammaCdf(2, 3, 0.5) + gammaSf(2, 3, 0.5)).toBeCloseTo(1, 14);
    expect(rel(gammaSf(2, 3, 0.5), 0.23810330555354436)).toBeLessThan(1e-12);
  });
});
