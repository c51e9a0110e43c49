/**
 * Frequentist analysis of one metric: every arm against a baseline arm, from per-arm means and their robust
 * covariance (plain arm-dummy OLS from `ols.ts`, or Lin's covariate-adjusted OLS from `lin-adjustment.ts`).
 * Output rows keep the reference's `ArmAnalysis` field names; `t_stat` is a z statistic when `inference` is
 * "z". Differences from the reference: t inference by default (df N − r, or G − 1 with clusters; the
 * reference's z is anti-conservative for small samples and few clusters), an error instead of garbage when
 * the baseline arm has no data, and NaN (→ null in JSON) instead of 0 for an arm without data.
 */
import { normalQuantile, tQuantile, tTwoSidedP } from './distributions.ts';
import type { ArmMomentsSnapshot, CovarianceType } from './ols.ts';
import { fitArmModel } from './ols.ts';

/** Raised when a metric cannot be analysed, e.g. its baseline arm has no outcome data. */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
}

export const DEFAULT_ALPHA = 0.05;

export type Inference = 't' | 'z';

export interface AnalysisOptions {
  /** Index of the baseline arm (default 0, the reference's production choice: the first arm). */
  readonly baseline?: number;
  /** Two-sided significance level of the CIs (the design's alpha). */
  readonly alpha?: number;
  /** "t" (default): Student t with `df`; "z": normal, as the reference. */
  readonly inference?: Inference;
}

export interface ArmAnalysis {
  readonly arm: number;
  readonly is_baseline: boolean;
  /** Baseline: its mean. Other arms: mean − baseline mean (both covariate-adjusted under Lin). */
  readonly estimate: number;
  /** Baseline: test of mean = 0 (as the reference); other arms: test of no difference. */
  readonly p_value: number;
  /** estimate / std_error; a z statistic when inference is "z". */
  readonly t_stat: number;
  readonly std_error: number;
  readonly ci_lower: number;
  readonly ci_upper: number;
  /** The arm's own mean and its CI. */
  readonly mean: number;
  readonly mean_std_error: number;
  readonly mean_ci_lower: number;
  readonly mean_ci_upper: number;
  /** Participants assigned to the arm whose outcome is missing. */
  readonly num_missing_values: number;
  /** Participants with an outcome. */
  readonly num_observations: number;
}

export interface MetricAnalysis {
  /** Empty when every outcome is missing (as the reference). */
  readonly arms: readonly ArmAnalysis[];
  readonly covariance: CovarianceType;
  readonly inference: Inference;
  /** Degrees of freedom of the t reference distribution (Infinity for z). */
  readonly df: number;
  readonly alpha: number;
  readonly nobs: number;
  readonly clusterCount?: number;
  /** True for Lin's covariate adjustment. */
  readonly adjusted: boolean;
}

export interface MeansWithCovariance {
  readonly mean: readonly number[];
  /** K×K covariance of the arm means, NaN for arms without data. */
  readonly meanCovariance: Float64Array;
  readonly dfResid: number;
  readonly nobs: number;
  readonly covariance: CovarianceType;
  readonly clusterCount?: number;
  readonly assigned: readonly number[];
  readonly n: readonly number[];
}

/**
 * Turns arm means and their covariance into per-arm rows. Example: `armAnalyses(model, { baseline: 0 })`.
 */
export function armAnalyses(model: MeansWithCovariance, options: AnalysisOptions = {}, adjusted = false): MetricAnalysis {
  const k = model.mean.length;
  const baseline = options.baseline ?? 0;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const inference = options.inference ?? 't';
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(baseline) || baseline < 0 || baseline >= k) throw new RangeError(`baseline must be an arm index, got ${baseline}`);
  const df = inference === 'z' ? Infinity : model.dfResid;
  const common = { covariance: model.covariance, inference, df, alpha, nobs: model.nobs, adjusted, ...(model.clusterCount === undefined ? {} : { clusterCount: model.clusterCount }) };
  if (model.nobs === 0) return { arms: [], ...common };
  if (model.n[baseline] === 0) throw new AnalysisError(`the baseline arm ${baseline} has no outcome data`);
  const critical = inference === 'z' ? normalQuantile(1 - alpha / 2) : tQuantile(1 - alpha / 2, df);
  const v = (j: number, l: number): number => model.meanCovariance[j * k + l]!;
  const arms: ArmAnalysis[] = [];
  for (let j = 0; j < k; j++) {
    const mean = model.mean[j]!;
    const meanSe = Math.sqrt(v(j, j));
    const isBaseline = j === baseline;
    const estimate = isBaseline ? mean : mean - model.mean[baseline]!;
    const se = isBaseline ? meanSe : Math.sqrt(v(j, j) + v(baseline, baseline) - 2 * v(j, baseline));
    const t = estimate / se;
    arms.push({
      arm: j,
      is_baseline: isBaseline,
      estimate,
      p_value: tTwoSidedP(t, df),
      t_stat: t,
      std_error: se,
      ci_lower: estimate - critical * se,
      ci_upper: estimate + critical * se,
      mean,
      mean_std_error: meanSe,
      mean_ci_lower: mean - critical * meanSe,
      mean_ci_upper: mean + critical * meanSe,
      num_missing_values: model.assigned[j]! - model.n[j]!,
      num_observations: model.n[j]!,
    });
  }
  return { arms, ...common };
}

/**
 * Unadjusted analysis (`metric ~ arm`, HC1 or CR1) from streamed per-arm moments.
 * Example: `analyzeArms(accumulator.snapshot(), { baseline: 0, alpha: 0.05 })`.
 */
export function analyzeArms(snapshot: ArmMomentsSnapshot, options: AnalysisOptions = {}): MetricAnalysis {
  const model = fitArmModel(snapshot);
  return armAnalyses({ ...model, assigned: snapshot.assigned, n: snapshot.n }, options);
}
