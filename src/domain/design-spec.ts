/**
 * The experiment design a client submits (`design_spec`), as the reference API shapes it (spec §2.4).
 * Structural rules live in the schema; rules that need the warehouse (columns exist, filter values fit
 * the column types) are checked by the service against the live table.
 */
import { z } from 'zod';
import { registryFields } from './registry-fields.ts';
import { CmabOnlineSpecSchema, isBanditType, MabOnlineDwhSpecSchema, MabOnlineSpecSchema, type BanditDesignSpec } from './bandit-design-spec.ts';

export const FIELD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const fieldName = z
  .string()
  .min(1)
  .max(100)
  .regex(FIELD_NAME, 'must start with a letter or underscore and contain only letters, digits and underscores');

const filterScalar = z.union([z.string(), z.number().refine(Number.isFinite, 'must be finite'), z.boolean(), z.null()]);

export const FilterSchema = z
  .object({
    field_name: fieldName,
    relation: z.enum(['includes', 'excludes', 'between']),
    value: z.array(filterScalar),
  })
  .strict();

export const ArmSpecSchema = z
  .object({
    arm_id: z.string().nullish(),
    arm_name: z.string().min(1).max(100),
    arm_description: z.string().max(2000).default(''),
    arm_weight: z.number().gt(0).lt(100).nullish(),
  })
  .strict();

export const MetricSpecSchema = z
  .object({
    field_name: fieldName,
    metric_pct_change: z.number().nullish(),
    metric_target: z.number().nullish(),
    /** Cluster designs: intraclass correlation, mean cluster size and CV of cluster sizes, all three or none. */
    icc: z.number().min(0).max(1).nullish(),
    avg_cluster_size: z.number().min(1).nullish(),
    cv: z.number().min(0).nullish(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.metric_pct_change != null && m.metric_target != null) {
      ctx.addIssue({ code: 'custom', path: ['metric_target'], message: 'give metric_pct_change or metric_target, not both' });
    }
    const given = CLUSTER_SHAPE_FIELDS.filter((f) => m[f] != null);
    if (given.length > 0 && given.length < CLUSTER_SHAPE_FIELDS.length) {
      for (const f of CLUSTER_SHAPE_FIELDS.filter((x) => m[x] == null)) {
        ctx.addIssue({ code: 'custom', path: [f], message: `icc, avg_cluster_size and cv go together: ${given.join(', ')} given without ${f}` });
      }
    }
  });

const CLUSTER_SHAPE_FIELDS = ['icc', 'avg_cluster_size', 'cv'] as const;

const common = {
  ...registryFields,
  arms: z.array(ArmSpecSchema).min(2).max(20),
  table_name: z.string().min(1).max(100),
  primary_key: fieldName,
  strata: z.array(z.object({ field_name: fieldName }).strict()).max(150).default([]),
  /**
   * Pre-treatment columns (measured before assignment, e.g. last month's value of a metric) that the
   * analysis adjusts for with Lin's interacted regression, and checks balance on (issue 11). Optional; the
   * service checks them against the table.
   */
  covariates: z
    .array(z.object({ field_name: fieldName }).strict())
    .max(50)
    .refine((list) => new Set(list.map((c) => c.field_name)).size === list.length, 'covariates must not repeat a column')
    .optional(),
  metrics: z.array(MetricSpecSchema).min(1).max(150),
  filters: z.array(FilterSchema).max(20).default([]),
  desired_n: z.number().int().min(0).nullish(),
  power: z.number().gt(0).lt(1).default(0.8),
  alpha: z.number().gt(0).lt(1).default(0.05),
  fstat_thresh: z.number().gt(0).lt(1).default(0.6),
};

export const FreqPreassignedSpecSchema = z
  .object({
    experiment_type: z.literal('freq_preassigned'),
    ...common,
    /** Cluster designs: whole clusters (schools, villages) are randomised; rows with a NULL key are never eligible. */
    cluster_key: fieldName.nullish(),
    /** Clusters to draw; required with `cluster_key` and only allowed with it. */
    desired_n_clusters: z.number().int().min(1).nullish(),
  })
  .strict();
export const FreqOnlineSpecSchema = z
  .object({
    experiment_type: z.literal('freq_online'),
    ...common,
    /** `hash`: the arm is a GrowthBook-compatible hash of the experiment id and participant id (issue 7). */
    assignment_mode: z.enum(['random', 'hash']).default('random'),
    /** Stop new assignments (reason `target_n`) once `desired_n` participants are assigned. */
    stop_at_desired_n: z.boolean().default(false),
  })
  .strict();

export const DesignSpecSchema = z
  .discriminatedUnion('experiment_type', [FreqPreassignedSpecSchema, FreqOnlineSpecSchema])
  .superRefine((spec, ctx) => {
    const weighted = spec.arms.filter((a) => a.arm_weight != null);
    if (weighted.length > 0 && weighted.length < spec.arms.length) {
      ctx.addIssue({ code: 'custom', path: ['arms'], message: 'if any arm has arm_weight, every arm must have one' });
    } else if (weighted.length > 0) {
      const sum = weighted.reduce((a, b) => a + (b.arm_weight ?? 0), 0);
      if (Math.abs(sum - 100) > 1e-9 * 100) {
        ctx.addIssue({ code: 'custom', path: ['arms'], message: `arm weights must sum to 100, got ${sum}` });
      }
    }
    spec.arms.forEach((a, i) => {
      if (a.arm_id != null) {
        ctx.addIssue({ code: 'custom', path: ['arms', i, 'arm_id'], message: 'arm_id is assigned by the server; leave it out' });
      }
    });
    if (Date.parse(spec.start_date) >= Date.parse(spec.end_date)) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'end_date must be after start_date' });
    }
    spec.strata.forEach((s, i) => {
      if (s.field_name === spec.primary_key) {
        ctx.addIssue({ code: 'custom', path: ['strata', i, 'field_name'], message: 'the primary key cannot be a stratum' });
      }
    });
    if (spec.experiment_type === 'freq_preassigned') {
      const clustered = spec.cluster_key != null;
      if (!clustered && spec.desired_n == null) {
        ctx.addIssue({ code: 'custom', path: ['desired_n'], message: 'desired_n is required for freq_preassigned experiments' });
      }
      if (clustered && spec.desired_n_clusters == null) {
        ctx.addIssue({ code: 'custom', path: ['desired_n_clusters'], message: 'desired_n_clusters is required when cluster_key is set' });
      }
      if (!clustered && spec.desired_n_clusters != null) {
        ctx.addIssue({ code: 'custom', path: ['desired_n_clusters'], message: 'desired_n_clusters is only allowed together with cluster_key' });
      }
      if (clustered && spec.strata.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['strata'], message: 'a cluster design may not have strata: clusters are stratified by their size' });
      }
      if (clustered && spec.cluster_key === spec.primary_key) {
        ctx.addIssue({ code: 'custom', path: ['cluster_key'], message: 'the cluster key cannot be the primary key' });
      }
    }
  });

/** The design's cluster key, or null for an individually randomised design. */
export function clusterKeyOf(spec: DesignSpec): string | null {
  return spec.experiment_type === 'freq_preassigned' ? (spec.cluster_key ?? null) : null;
}

/**
 * The filters a design is sampled and analysed with: its own, plus `excludes [null]` on the cluster key of
 * a cluster design (a participant without a cluster cannot be randomised with one). Kept out of the stored
 * spec so a design reads back exactly as it was submitted.
 */
export function effectiveFilters(spec: DesignSpec): FilterSpec[] {
  const key = clusterKeyOf(spec);
  if (key === null) return spec.filters;
  const already = spec.filters.some((f) => f.field_name === key && f.relation === 'excludes' && f.value.length === 1 && f.value[0] === null);
  return already ? spec.filters : [...spec.filters, { field_name: key, relation: 'excludes', value: [null] }];
}

export type DesignSpecInput = z.input<typeof DesignSpecSchema>;
export type DesignSpec = z.output<typeof DesignSpecSchema>;
export type FilterSpec = z.output<typeof FilterSchema>;
export type ExperimentType = DesignSpec['experiment_type'];

/**
 * Every design a client may create: the frequentist designs above (`DesignSpec`) and the bandit designs of
 * `bandit-design-spec.ts`. Services that only handle frequentist designs keep taking `DesignSpec`.
 */
export const ExperimentDesignSpecSchema = z.discriminatedUnion('experiment_type', [
  DesignSpecSchema,
  MabOnlineSpecSchema,
  MabOnlineDwhSpecSchema,
  CmabOnlineSpecSchema,
]);
export type ExperimentDesignSpec = DesignSpec | BanditDesignSpec;

export function isBanditDesign(spec: ExperimentDesignSpec): spec is BanditDesignSpec {
  return isBanditType(spec.experiment_type);
}

export const CreateExperimentRequestSchema = z
  .object({
    design_spec: ExperimentDesignSpecSchema,
    power_analyses: z.object({ analyses: z.array(z.record(z.string(), z.unknown())) }).strict().nullish(),
    webhooks: z
      .array(z.string())
      .default([])
      .refine((ids) => new Set(ids).size === ids.length, 'webhook ids must be unique'),
  })
  .strict();

export type CreateExperimentRequest = z.output<typeof CreateExperimentRequestSchema>;
