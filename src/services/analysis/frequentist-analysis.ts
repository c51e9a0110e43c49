/**
 * The frequentist analysis of one experiment (reference §2.7, with the issue-11 additions). One streaming
 * pass over the assigned participants (`participant-stream.ts`) feeds, per metric, the per-arm moments of
 * `stats/ols.ts` (HC1, or CR1 by cluster for cluster designs), counts participants (and clusters) per arm
 * for the sample-ratio check, and — only when the design has covariates or strata — keeps compact typed
 * columns for Lin's adjustment and the balance check. So a million participants without covariates use
 * memory independent of their number; with covariates about 8 bytes per participant per column.
 *
 * Missing values: a participant absent from the warehouse, or whose metric is NULL, counts in that arm's
 * `num_missing_values` and is left out of that metric's estimate (complete cases, as the reference).
 *
 * Warnings: sample-ratio mismatch, covariate imbalance, and — once the sample is final — metrics whose
 * minimum detectable effect at the observed n exceeds the design's (`power-check.ts`).
 */
import { ValidationError } from '../../domain/errors.ts';
import { AnalysisError, type AnalysisOptions, type MetricAnalysis } from '../../stats/analysis.ts';
import { analyzeArms } from '../../stats/analysis.ts';
import { BalanceError, checkBalance, DEFAULT_FSTAT_THRESHOLD, type BalanceResult } from '../../stats/balance.ts';
import { LinAdjustmentAccumulator } from '../../stats/lin-adjustment.ts';
import { benjaminiHochberg, holm } from '../../stats/multiple-testing.ts';
import { ArmMomentsAccumulator } from '../../stats/ols.ts';
import type { Preprocessed } from '../../stats/preprocess.ts';
import { DEFAULT_SRM_ALPHA, sampleRatioMismatch } from '../../stats/srm.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { ServiceDeps } from '../context.ts';
import type { ColumnType, Warehouse } from '../../warehouse/warehouse.ts';
import { designOf } from '../experiments/stored-design.ts';
import {
  finite,
  type AdjustedArmAnalysis,
  type AdjustSource,
  type AnalysisBalanceCheck,
  type AnalysisWarning,
  type ArmAnalysisRow,
  type FreqAnalysisResponse,
  type MetricAnalysisRow,
  type SampleRatioCheck,
} from './analysis-response.ts';
import { encodeCovariates, type EncodedCovariates } from './covariate-design.ts';
import { powerCheck } from './power-check.ts';
import { covariateKind, numericValue, ParticipantColumns } from './participant-columns.ts';
import { streamParticipants } from './participant-stream.ts';

/** A finding this strong raises a warning; the check runs on every snapshot, so the level is strict. */
export const IMBALANCE_ALPHA = 0.001;

export interface FrequentistAnalysisOptions {
  /** Default: the first arm (position 1), as the reference. */
  readonly baselineArmId?: string | undefined;
  /** `t` (default; df N − arms, or clusters − 1) or `z` (the reference's normal inference). */
  readonly inference?: 't' | 'z' | undefined;
  /** Which pre-treatment columns Lin's adjustment uses; default the design's covariates. */
  readonly adjust?: AdjustSource | undefined;
  /** Wall-clock deadline (epoch ms); checked between warehouse batches. */
  readonly deadline?: number | undefined;
  readonly fetchBatchSize?: number | undefined;
  readonly pageRows?: number | undefined;
}

/** The analysis ran past its deadline (snapshots are bounded so a worker's lease never runs out). */
export class AnalysisTimeoutError extends Error {
  override readonly name = 'AnalysisTimeoutError';
}

const late = (msg: string) => new ValidationError(msg, 'analysis');

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

export async function analyzeFrequentist(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  loaded: LoadedExperiment,
  warehouse: Warehouse,
  options: FrequentistAnalysisOptions = {},
): Promise<FreqAnalysisResponse> {
  const { experiment: e, arms } = loaded;
  const design = designOf(loaded);
  const types: Readonly<Record<string, ColumnType>> = design.field_types ?? {};
  if (!e.table_name || !e.primary_key) throw late(`Experiment ${e.id} has no warehouse table to analyse.`);
  if (arms.length < 2) throw late(`Experiment ${e.id} has fewer than two arms.`);

  const baselineArmId = options.baselineArmId ?? arms[0]!.id;
  const baseline = arms.findIndex((a) => a.id === baselineArmId);
  if (baseline < 0) {
    throw new ValidationError([{ loc: ['query', 'baseline_arm_id'], msg: `Arm ${baselineArmId} is not an arm of experiment ${e.id}.`, type: 'value_error' }]);
  }
  const inference = options.inference ?? 't';
  const alpha = design.alpha;
  const clusterKey = design.cluster_key ?? null;
  const clustered = clusterKey !== null;

  const metrics = design.metrics.map((m) => m.field_name);
  const metricSet = new Set(metrics);
  // Pre-treatment columns only: a metric listed as a stratum is an outcome, not something to adjust for.
  const usable = (names: readonly string[]) => unique(names).filter((n) => !metricSet.has(n) && n !== e.primary_key && n !== clusterKey);
  const covariateFields = usable((design.covariates ?? []).map((c) => c.field_name));
  const strataFields = usable(design.strata.map((s) => s.field_name));
  const source = options.adjust ?? 'covariates';
  const adjustFields =
    source === 'covariates' ? covariateFields : source === 'strata' ? strataFields : source === 'all' ? unique([...covariateFields, ...strataFields]) : [];
  const balanceFields = unique([...covariateFields, ...strataFields]);
  const storedFields = unique([...adjustFields, ...balanceFields]);

  const k = arms.length;
  const accumulators = metrics.map(() => new ArmMomentsAccumulator(k, { clustered }));
  const assigned = new Array<number>(k).fill(0);
  const clustersPerArm = clustered ? arms.map(() => new Set<string>()) : null;
  const store =
    storedFields.length > 0
      ? new ParticipantColumns({
          metrics: adjustFields.length > 0 ? metrics : [],
          covariates: storedFields.map((name) => ({ name, kind: covariateKind(types[name]) })),
          clustered,
        })
      : null;
  let missingParticipants = 0;
  const deadline = options.deadline;

  const stream = streamParticipants(deps.db, warehouse, {
    experimentId: e.id,
    table: e.table_name,
    idField: e.primary_key,
    idType: types[e.primary_key],
    columns: unique([...metrics, ...storedFields]),
    armIndex: new Map(arms.map((a, i) => [a.id, i])),
    clustered,
    fetchBatchSize: options.fetchBatchSize,
    pageRows: options.pageRows,
    checkpoint:
      deadline === undefined
        ? undefined
        : () => {
            if (Date.now() > deadline) throw new AnalysisTimeoutError('The analysis took longer than its time limit.');
          },
  });
  for await (const batch of stream) {
    for (let i = 0; i < batch.size; i++) {
      const arm = batch.arms[i]!;
      assigned[arm]!++;
      if (!batch.found[i]) missingParticipants++;
      if (clustersPerArm) clustersPerArm[arm]!.add(batch.clusters![i]!);
    }
    metrics.forEach((metric, m) => {
      const values = batch.values[metric]!;
      const acc = accumulators[m]!;
      for (let i = 0; i < batch.size; i++) {
        const y = numericValue(values[i]);
        acc.add(batch.arms[i]!, Number.isNaN(y) ? null : y, clustered ? batch.clusters![i] : undefined);
      }
    });
    store?.append(batch);
  }

  const numParticipants = assigned.reduce((a, b) => a + b, 0);
  if (numParticipants === 0) throw late('No participants found for experiment.');
  if (missingParticipants === numParticipants) {
    throw late(`No assigned participants found in the datasource: none of the ${numParticipants} assigned participants is in table '${e.table_name}'.`);
  }

  const statsOptions: AnalysisOptions = { baseline, alpha, inference };
  const armRows = (analysis: MetricAnalysis | null, counts: { assigned: readonly number[]; n: readonly number[] }): ArmAnalysisRow[] =>
    arms.map((arm, j) => {
      const row = analysis?.arms[j];
      return {
        arm_id: arm.id,
        arm_name: arm.name,
        arm_description: arm.description,
        is_baseline: j === baseline,
        estimate: finite(row?.estimate),
        p_value: finite(row?.p_value),
        t_stat: finite(row?.t_stat),
        std_error: finite(row?.std_error),
        ci_lower: finite(row?.ci_lower),
        ci_upper: finite(row?.ci_upper),
        mean_ci_lower: finite(row?.mean_ci_lower),
        mean_ci_upper: finite(row?.mean_ci_upper),
        num_missing_values: counts.assigned[j]! - counts.n[j]!,
        mean: finite(row?.mean),
        mean_std_error: finite(row?.mean_std_error),
        num_observations: counts.n[j]!,
        p_value_holm: null,
        p_value_bh: null,
        adjusted: null,
      };
    });

  // Unadjusted: metric ~ arm with HC1 (or CR1).
  const moments = accumulators.map((acc) => acc.snapshot());
  const metricType = (field: string) => (types[field] === 'boolean' ? 'binary' : 'numeric');
  const rows: MetricAnalysisRow[] = design.metrics.map((spec, m) => {
    const snapshot = moments[m]!;
    let analysis: MetricAnalysis | null = null;
    let error: string | null = null;
    try {
      analysis = analyzeArms(snapshot, statsOptions);
      if (analysis.arms.length === 0) {
        error = 'No participant has a value for this metric.';
        analysis = null;
      }
    } catch (err) {
      if (!(err instanceof AnalysisError)) throw err;
      error = `The baseline arm '${arms[baseline]!.name}' has no values for this metric, so no effect can be estimated.`;
    }
    const nobs = snapshot.n.reduce((a, b) => a + b, 0);
    return {
      metric_name: spec.field_name,
      metric: { ...spec, metric_type: metricType(spec.field_name) },
      arm_analyses: armRows(analysis, snapshot),
      covariance: clustered ? 'CR1' : 'HC1',
      inference,
      df: inference === 'z' || !analysis ? null : finite(analysis.df),
      alpha,
      num_observations: nobs,
      num_clusters: clustered ? (snapshot.clusterCount ?? 0) : null,
      adjustment: null,
      error,
    };
  });

  // Lin-adjusted estimates, when there is something to adjust for.
  let encoded: EncodedCovariates | null = null;
  let adjustmentError: string | null = null;
  if (store && adjustFields.length > 0) {
    try {
      encoded = encodeCovariates(store, adjustFields);
      if (encoded.columns.length === 0) adjustmentError = 'None of the adjustment columns varies among the participants found.';
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      adjustmentError = err.message;
    }
    if (encoded && encoded.columns.length > 0) {
      const cov = encoded;
      rows.forEach((row, m) => {
        const adjusted = linAdjusted(store, cov, metrics[m]!, k, clustered, statsOptions);
        (rows as MetricAnalysisRow[])[m] = {
          ...row,
          arm_analyses: row.arm_analyses.map((a, j) => ({ ...a, adjusted: adjusted.analysis ? adjustedRow(adjusted.analysis, j) : null })),
          adjustment: {
            columns: [...cov.names],
            num_observations: adjusted.analysis?.nobs ?? 0,
            df: adjusted.analysis && inference === 't' ? finite(adjusted.analysis.df) : null,
            error: adjusted.error,
          },
        };
      });
    }
  }

  applyMultipleTesting(rows);

  const srm = sampleRatio(arms, clustersPerArm ? clustersPerArm.map((s) => s.size) : assigned, clustersPerArm ? 'clusters' : 'participants');
  const balance = store && balanceFields.length > 0 ? balanceCheck(store, balanceFields, design.fstat_thresh ?? DEFAULT_FSTAT_THRESHOLD) : { result: null, note: null };

  const warnings: AnalysisWarning[] = [];
  if (srm.mismatch) {
    warnings.push({
      warning: 'sample_ratio_mismatch',
      message:
        `Sample ratio mismatch: the ${srm.unit} per arm (${srm.observed.join(', ')}) differ from the design's weights ` +
        `(expected ${srm.expected.map((x) => x.toFixed(1)).join(', ')}; chi-square p = ${formatP(srm.p_value)}). ` +
        'Participants were lost or duplicated unevenly; check the assignment and data pipeline before reading any effect.',
    });
  }
  if (balance.result?.imbalance) {
    warnings.push({
      warning: 'imbalance',
      message:
        `The arms differ in their pre-treatment columns (${balance.result.fields.join(', ')}; F = ${balance.result.f_statistic?.toFixed(2)}, ` +
        `p = ${formatP(balance.result.p_value)}) among the participants found in the warehouse.`,
    });
  }

  const power = powerCheck({
    loaded,
    design,
    metrics: design.metrics.map((spec, m) => ({ spec, metricType: metricType(spec.field_name), moments: moments[m]! })),
    baseline,
    clustered,
    now: deps.clock.now(),
  });
  if (power.warning) warnings.push(power.warning);

  const notes = [
    'Participants absent from the warehouse table, and NULL metric values, count in num_missing_values and are left out of that metric\'s estimate.',
    inference === 't'
      ? 'p-values and intervals use the t distribution with df (participants with a value − arms, or clusters − 1); ?inference=z gives the reference\'s normal ones.'
      : 'p-values and intervals use the normal distribution (z), as the reference does.',
  ];
  if (balance.note) notes.push(balance.note);
  notes.push(...power.notes);

  return {
    type: 'freq',
    experiment_id: e.id,
    metric_analyses: rows,
    num_participants: numParticipants,
    num_missing_participants: missingParticipants,
    created_at: deps.clock.now().toISOString(),
    baseline_arm_id: baselineArmId,
    alpha,
    inference,
    adjustment: {
      source,
      fields: adjustFields,
      columns: [...(encoded?.names ?? [])],
      dropped: [...(encoded?.dropped ?? [])],
      error: adjustmentError,
    },
    multiple_testing: {
      family: 'every non-baseline arm of every metric',
      num_tests: countTests(rows, false),
      num_adjusted_tests: countTests(rows, true),
    },
    sample_ratio_mismatch: srm,
    balance_check: balance.result,
    warnings,
    notes,
  };
}

function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

function linAdjusted(
  store: ParticipantColumns,
  cov: EncodedCovariates,
  metric: string,
  k: number,
  clustered: boolean,
  options: AnalysisOptions,
): { analysis: MetricAnalysis | null; error: string | null } {
  const p = cov.columns.length;
  const y = store.metric(metric);
  const arms = store.arms;
  const clusters = store.clusters;
  const lin = new LinAdjustmentAccumulator(k, p, { clustered });
  const x = new Float64Array(p);
  const row = (i: number): Float64Array => {
    for (let a = 0; a < p; a++) x[a] = cov.columns[a]![i]!;
    return x;
  };
  const n = store.size;
  for (let i = 0; i < n; i++) lin.addFirstPass(arms[i]!, y[i]!, row(i));
  lin.finishFirstPass();
  for (let i = 0; i < n; i++) lin.addSecondPass(arms[i]!, y[i]!, row(i), clusters ? clusters[i]! : undefined);
  try {
    const analysis = lin.analyze(options);
    if (analysis.arms.length === 0) return { analysis: null, error: 'No participant has a value for this metric.' };
    return { analysis, error: null };
  } catch (err) {
    if (err instanceof AnalysisError) return { analysis: null, error: 'The baseline arm has no values for this metric, so no adjusted effect can be estimated.' };
    throw err;
  }
}

function adjustedRow(analysis: MetricAnalysis, j: number): AdjustedArmAnalysis {
  const a = analysis.arms[j]!;
  return {
    estimate: finite(a.estimate),
    std_error: finite(a.std_error),
    t_stat: finite(a.t_stat),
    p_value: finite(a.p_value),
    ci_lower: finite(a.ci_lower),
    ci_upper: finite(a.ci_upper),
    mean: finite(a.mean),
    mean_ci_lower: finite(a.mean_ci_lower),
    mean_ci_upper: finite(a.mean_ci_upper),
    p_value_holm: null,
    p_value_bh: null,
  };
}

/** Holm and BH over every non-baseline comparison with a p-value, across metrics; adjusted estimates apart. */
function applyMultipleTesting(rows: MetricAnalysisRow[]): void {
  for (const adjusted of [false, true]) {
    const at: [number, number][] = [];
    const pValues: number[] = [];
    rows.forEach((row, m) =>
      row.arm_analyses.forEach((a, j) => {
        const p = adjusted ? a.adjusted?.p_value : a.p_value;
        if (!a.is_baseline && p !== null && p !== undefined) {
          at.push([m, j]);
          pValues.push(p);
        }
      }),
    );
    if (pValues.length === 0) continue;
    const h = holm(pValues);
    const bh = benjaminiHochberg(pValues);
    at.forEach(([m, j], t) => {
      const row = rows[m]!;
      const arms = row.arm_analyses as ArmAnalysisRow[];
      const a = arms[j]!;
      arms[j] = adjusted
        ? { ...a, adjusted: { ...(a.adjusted as AdjustedArmAnalysis), p_value_holm: finite(h[t]), p_value_bh: finite(bh[t]) } }
        : { ...a, p_value_holm: finite(h[t]), p_value_bh: finite(bh[t]) };
    });
  }
}

function countTests(rows: readonly MetricAnalysisRow[], adjusted: boolean): number {
  return rows.reduce((n, row) => n + row.arm_analyses.filter((a) => !a.is_baseline && (adjusted ? a.adjusted?.p_value : a.p_value) != null).length, 0);
}

function sampleRatio(arms: LoadedExperiment['arms'], observed: number[], unit: 'participants' | 'clusters'): SampleRatioCheck {
  const weights = arms.map((a) => a.weight ?? 1);
  const r = sampleRatioMismatch(observed, weights, DEFAULT_SRM_ALPHA);
  return { unit, observed, expected: [...r.expected], chi_square: finite(r.chi_square), df: r.df, p_value: finite(r.p_value), mismatch: r.mismatch };
}

/**
 * The joint balance test of all arms on the encoded pre-treatment columns, over the participants found in
 * the warehouse (cluster-robust for cluster designs). Null with a note when it cannot be computed.
 */
function balanceCheck(store: ParticipantColumns, fields: readonly string[], fstatThresh: number): { result: AnalysisBalanceCheck | null; note: string | null } {
  let encoded: EncodedCovariates;
  try {
    encoded = encodeCovariates(store, fields);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { result: null, note: `No balance check: ${err.message}` };
  }
  if (encoded.columns.length === 0) return { result: null, note: 'No balance check: none of the pre-treatment columns varies.' };
  const found = store.found;
  const rows: number[] = [];
  for (let i = 0; i < store.size; i++) if (found[i]) rows.push(i);
  const n = rows.length;
  const arms = Int32Array.from(rows, (i) => store.arms[i]!);
  const clusterCodes = store.clusters;
  const pre: Preprocessed = {
    rowCount: n,
    excluded: [],
    columns: encoded.columns.map((column, c) => ({
      name: encoded.names[c]!,
      kind: 'binned' as const,
      levels: [],
      codes: new Int32Array(0),
      hasMissing: false,
      raw: Float64Array.from(rows, (i) => column[i]!),
    })),
  };
  let result: BalanceResult | null;
  try {
    result = checkBalance(pre, arms, {
      fstat_thresh: fstatThresh,
      ...(clusterCodes ? { clusters: rows.map((i) => clusterCodes[i]!) } : {}),
    });
  } catch (err) {
    if (err instanceof BalanceError) return { result: null, note: `No balance check: ${err.message}` };
    throw err;
  }
  if (!result) return { result: null, note: null };
  return {
    result: {
      f_statistic: finite(result.f_statistic),
      numerator_df: result.numerator_df,
      denominator_df: result.denominator_df,
      p_value: finite(result.p_value),
      balance_ok: result.balance_ok,
      imbalance: result.p_value < IMBALANCE_ALPHA,
      fields: [...fields],
      columns: [...encoded.names],
      num_participants: n,
    },
    note: null,
  };
}
