/**
 * The part of a design kept as one JSON document on the experiment row, and the reassembly of the
 * reference's `ExperimentConfig` from the row, its arms and its webhook links.
 */
import type { DesignSpec, FilterSpec } from '../../domain/design-spec.ts';
import type { ExperimentState } from '../../domain/experiment-state.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { ColumnType } from '../../warehouse/warehouse.ts';
import { liveProgress } from './assignment-progress.ts';

export interface StoredDesign {
  readonly strata: { field_name: string }[];
  readonly metrics: DesignSpec['metrics'];
  readonly filters: FilterSpec[];
  readonly desired_n: number | null;
  readonly power: number;
  readonly alpha: number;
  readonly fstat_thresh: number;
  /** Warehouse types of every referenced column, captured at creation (for filters and exports). */
  readonly field_types: Readonly<Record<string, ColumnType>>;
  /** Cluster designs only (absent on designs stored before clusters existed). */
  readonly cluster_key?: string | null;
  readonly desired_n_clusters?: number | null;
  /** Pre-treatment columns the analysis adjusts for (issue 11); absent when the design named none. */
  readonly covariates?: { field_name: string }[];
}

export function storedDesignOf(spec: DesignSpec, fieldTypes: Record<string, ColumnType>): StoredDesign {
  return {
    strata: spec.strata,
    metrics: spec.metrics,
    filters: spec.filters,
    desired_n: spec.desired_n ?? null,
    power: spec.power,
    alpha: spec.alpha,
    fstat_thresh: spec.fstat_thresh,
    field_types: fieldTypes,
    ...(spec.experiment_type === 'freq_preassigned' && spec.cluster_key != null
      ? { cluster_key: spec.cluster_key, desired_n_clusters: spec.desired_n_clusters ?? null }
      : {}),
    ...(spec.covariates !== undefined ? { covariates: spec.covariates } : {}),
  };
}

/** The design's cluster key, or null for individually randomised and online designs. */
export function clusterKeyOfStored(loaded: LoadedExperiment): string | null {
  return designOf(loaded).cluster_key ?? null;
}

export function designOf(loaded: LoadedExperiment): StoredDesign {
  return loaded.experiment.design as unknown as StoredDesign;
}

/** Strata field names in export order (sorted by name). */
export function strataFieldNames(loaded: LoadedExperiment): string[] {
  return designOf(loaded)
    .strata.map((s) => s.field_name)
    .sort();
}

/** What every `ExperimentConfig` starts with, whatever the experiment type: ids, state and stop. */
export function configHeader(e: LoadedExperiment['experiment']) {
  return {
    experiment_id: e.id,
    datasource_id: e.datasource_id,
    state: e.state as ExperimentState,
    stopped_assignments_at: e.stopped_assignments_at?.toISOString() ?? null,
    stopped_assignments_reason: e.stopped_assignments_reason,
  };
}

/** The registry part of every design spec (name, description, link, dates), as submitted. */
export function specRegistry(e: LoadedExperiment['experiment']) {
  return {
    experiment_type: e.experiment_type,
    experiment_name: e.name,
    description: e.description,
    design_url: e.design_url,
    start_date: e.start_date.toISOString(),
    end_date: e.end_date.toISOString(),
  };
}

export function experimentConfig(loaded: LoadedExperiment) {
  const { experiment: e, arms } = loaded;
  const design = designOf(loaded);
  const sampleSize = arms.reduce((n, a) => n + Number(a.population), 0);
  return {
    ...configHeader(e),
    design_spec: {
      ...specRegistry(e),
      arms: arms.map((a) => ({ arm_id: a.id, arm_name: a.name, arm_description: a.description, arm_weight: a.weight })),
      table_name: e.table_name,
      primary_key: e.primary_key,
      strata: design.strata,
      metrics: design.metrics,
      filters: design.filters,
      desired_n: design.desired_n,
      power: design.power,
      alpha: design.alpha,
      fstat_thresh: design.fstat_thresh,
      ...(design.cluster_key != null ? { cluster_key: design.cluster_key, desired_n_clusters: design.desired_n_clusters ?? null } : {}),
      ...(design.covariates !== undefined ? { covariates: design.covariates } : {}),
    },
    power_analyses: e.power_analyses ?? null,
    assign_summary: {
      balance_check: e.balance_check ?? null,
      sample_size: sampleSize,
      arm_sizes: arms.map((a) => ({ arm: { arm_id: a.id, arm_name: a.name }, size: Number(a.population), cluster_count: a.cluster_count ?? null })),
    },
    // Live progress of a preassignment running in this process, else what the row recorded (see assignment-progress.ts).
    assignment_progress: liveProgress(e.id) ?? e.assignment_progress ?? null,
    webhooks: [...loaded.webhookIds],
    decision: e.decision,
    impact: e.impact,
  };
}

export type ExperimentConfig = ReturnType<typeof experimentConfig>;
