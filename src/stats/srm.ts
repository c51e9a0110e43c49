/**
 * Sample-ratio-mismatch (SRM) check: a chi-square goodness-of-fit test of the observed participants per arm
 * against the design's weights. A tiny p-value means the assignment or the data pipeline lost or duplicated
 * participants unevenly, which biases every comparison; the reference has no such check.
 */
import { chiSquareSf } from './distributions.ts';

/** Flag at p < 0.001: the check runs on every snapshot, so a strict level keeps false alarms rare. */
export const DEFAULT_SRM_ALPHA = 0.001;

export interface SrmResult {
  readonly chi_square: number;
  readonly df: number;
  readonly p_value: number;
  readonly expected: readonly number[];
  /** p_value < alpha. */
  readonly mismatch: boolean;
}

/**
 * Example: `sampleRatioMismatch([50_000, 50_500], [1, 1]).p_value` → ≈ 0.116.
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[], alpha = DEFAULT_SRM_ALPHA): SrmResult {
  if (observed.length !== weights.length || observed.length < 2) throw new RangeError('need one count and one weight per arm, at least two arms');
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new RangeError('weights must be positive finite numbers');
  if (observed.some((o) => !Number.isInteger(o) || o < 0)) throw new RangeError('observed counts must be non-negative integers');
  const n = observed.reduce((a, b) => a + b, 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (n * w) / total);
  const chi = n === 0 ? 0 : observed.reduce((acc, o, j) => acc + (o - expected[j]!) ** 2 / expected[j]!, 0);
  const df = observed.length - 1;
  const p = n === 0 ? 1 : chiSquareSf(chi, df);
  return { chi_square: chi, df, p_value: p, expected, mismatch: p < alpha };
}
