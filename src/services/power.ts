/**
 * Power analysis of a design before it is created (spec §2.8): per metric, the baseline (mean, population
 * sd, available and non-null n) over the rows that pass the design's filters, and for cluster designs the
 * ICC, mean cluster size and CV from the warehouse when the metric does not carry them — then `checkPower`.
 * Degenerate inputs are a 422 of type "power calc".
 */
import { clusterKeyOf, effectiveFilters, type DesignSpec } from '../domain/design-spec.ts';
import { ValidationError, type ValidationIssue } from '../domain/errors.ts';
import { checkPower, PowerCalcError, type MetricPowerAnalysis, type PowerMetric } from '../stats/power.ts';
import { iccFromInputs, type ColumnType, type IccInputs, type Warehouse } from '../warehouse/warehouse.ts';
import { requireDatasource } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { withDatasourceWarehouse } from './datasource-warehouse.ts';
import { validateDesignAgainstTable } from './experiments/validate-design.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] | null ? U[] | null : T[K] };

/** `PowerResponse` (spec §2.8): one analysis per metric, in the design's order. */
export interface PowerResponse {
  readonly analyses: Mutable<MetricPowerAnalysis>[];
}

function plain(a: MetricPowerAnalysis): Mutable<MetricPowerAnalysis> {
  return { ...a, clusters_per_arm: a.clusters_per_arm ? [...a.clusters_per_arm] : null, n_per_arm: a.n_per_arm ? [...a.n_per_arm] : null };
}

/**
 * @example const { analyses } = await analysePower(ctx, 'ds_…', spec); analyses[0].target_n
 */
export async function analysePower(ctx: ServiceContext<UserActor>, datasourceId: string, spec: DesignSpec): Promise<PowerResponse> {
  const ds = await requireDatasource(ctx, datasourceId);
  if (ds.driver === 'none') {
    throw new ValidationError([{ loc: ['body', 'design_spec', 'table_name'], msg: 'A power analysis needs a datasource with a warehouse.', type: 'late' }]);
  }
  const issues: ValidationIssue[] = [];
  spec.metrics.forEach((m, i) => {
    if (m.metric_pct_change == null && m.metric_target == null) {
      issues.push({ loc: ['body', 'design_spec', 'metrics', i], msg: 'A power analysis needs metric_pct_change or metric_target.', type: 'value_error' });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);

  const metrics = await withDatasourceWarehouse(ctx, ds, async (w) => {
    const types = validateDesignAgainstTable(spec, await w.describeTable(spec.table_name));
    return powerMetricsOf(w, spec, types);
  });
  try {
    return {
      analyses: checkPower(metrics, {
        nArms: spec.arms.length,
        armWeights: spec.arms.every((a) => a.arm_weight != null) ? spec.arms.map((a) => a.arm_weight as number) : null,
        desiredN: spec.desired_n ?? null,
        power: spec.power,
        alpha: spec.alpha,
      }).map(plain),
    };
  } catch (err) {
    if (!(err instanceof PowerCalcError)) throw err;
    const i = spec.metrics.findIndex((m) => m.field_name === err.fieldName);
    throw new ValidationError([{ loc: ['body', 'design_spec', 'metrics', ...(i >= 0 ? [i] : [])], msg: err.message, type: 'power calc' }]);
  }
}

/** The design's metrics with their warehouse baselines and, for cluster designs, their cluster shape. */
async function powerMetricsOf(w: Warehouse, spec: DesignSpec, types: Readonly<Record<string, ColumnType>>): Promise<PowerMetric[]> {
  const filters = effectiveFilters(spec);
  const baselines = await w.baselineStats({ table: spec.table_name, filters, metrics: spec.metrics.map((m) => m.field_name) });
  const clusterKey = clusterKeyOf(spec);
  const out: PowerMetric[] = [];
  for (const [i, m] of spec.metrics.entries()) {
    const b = baselines[i];
    const binary = types[m.field_name] === 'boolean';
    let shape = { icc: m.icc ?? null, avg_cluster_size: m.avg_cluster_size ?? null, cv: m.cv ?? null };
    if (clusterKey !== null && shape.icc == null) {
      const inputs = await w.iccInputs({ table: spec.table_name, filters, metric: m.field_name, clusterField: clusterKey });
      shape = clusterShapeFrom(inputs, m.field_name);
    }
    out.push({
      field_name: m.field_name,
      metric_type: binary ? 'binary' : 'numeric',
      metric_pct_change: m.metric_pct_change ?? null,
      metric_target: m.metric_target ?? null,
      metric_baseline: b?.mean ?? null,
      metric_stddev: binary ? null : (b?.sd ?? null),
      available_n: b?.n ?? 0,
      available_nonnull_n: b?.nonNullN ?? 0,
      ...shape,
    });
  }
  return out;
}

/**
 * ICC(1) from the warehouse's ANOVA sums, the mean cluster size n/k and the CV of cluster sizes (sample
 * standard deviation, as pandas' `std()` in the reference), over rows with a cluster key and a value.
 */
export function clusterShapeFrom(inputs: IccInputs, fieldName: string): { icc: number; avg_cluster_size: number; cv: number } {
  const icc = iccFromInputs(inputs);
  if (icc === null) {
    throw new ValidationError([
      { loc: ['body', 'design_spec', 'cluster_key'], msg: `Power calc error for metric ${fieldName}: need at least 2 clusters with more rows than clusters to estimate the ICC (found ${inputs.clusters} clusters, ${inputs.n} rows).`, type: 'power calc' },
    ]);
  }
  const k = inputs.clusters;
  const mean = inputs.n / k;
  const variance = k > 1 ? Math.max(0, (inputs.sumSquaredSizes - k * mean * mean) / (k - 1)) : 0;
  return { icc, avg_cluster_size: mean, cv: Math.sqrt(variance) / mean };
}
