/**
 * Bulk export of an experiment's assignments as JSON or CSV, produced page by page (keyset on participant
 * id, never a long-held cursor), so a million rows stream in bounded memory while the database stays free
 * for other requests between pages.
 */
import { NotFoundError } from '../../domain/errors.ts';
import { pageAssignments, type AssignmentRow } from '../../store/repositories/assignments.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { ServiceContext } from '../context.ts';
import { clusterKeyOfStored, strataFieldNames } from '../experiments/stored-design.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { drawsCsv, drawsJson } from '../bandits/export-draws.ts';

export const EXPORT_PAGE_ROWS = 1_000;

export async function loadForExport(ctx: ServiceContext, experimentId: string, datasourceId: string): Promise<LoadedExperiment> {
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded || loaded.experiment.datasource_id !== datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  return loaded;
}

async function* pages(ctx: ServiceContext, experimentId: string): AsyncGenerator<AssignmentRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await pageAssignments(ctx.db, experimentId, after, EXPORT_PAGE_ROWS);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < EXPORT_PAGE_ROWS) return;
    after = (rows.at(-1) as AssignmentRow).participant_id;
  }
}

function strataOf(row: AssignmentRow, fields: readonly string[]) {
  const stored = new Map(row.strata.map((s) => [s.field_name, s.strata_value]));
  return fields.map((f) => ({ field_name: f, strata_value: stored.has(f) ? (stored.get(f) ?? null) : null }));
}

/** `{"balance_check", "experiment_id", "assignments": [...], "sample_size"}`, as text chunks. */
export async function* assignmentsJson(ctx: ServiceContext, loaded: LoadedExperiment): AsyncGenerator<string> {
  if (isBanditType(loaded.experiment.experiment_type)) {
    yield* drawsJson(ctx, loaded);
    return;
  }
  const fields = strataFieldNames(loaded);
  const armNames = new Map(loaded.arms.map((a) => [a.id, a.name]));
  const e = loaded.experiment;
  // `cluster_key` follows `participant_id`, and only for cluster designs (spec §1.9).
  const clustered = clusterKeyOfStored(loaded) !== null;
  yield `{"balance_check":${JSON.stringify(e.balance_check ?? null)},"experiment_id":${JSON.stringify(e.id)},"assignments":[`;
  let count = 0;
  for await (const rows of pages(ctx, e.id)) {
    const parts = rows.map((r) =>
      JSON.stringify({
        participant_id: r.participant_id,
        ...(clustered ? { cluster_key: r.cluster_key ?? null } : {}),
        arm_id: r.arm_id,
        arm_name: armNames.get(r.arm_id) ?? '',
        created_at: r.created_at.toISOString(),
        strata: strataOf(r, fields),
        observed_at: null,
        outcome: null,
        context_values: null,
        assignment_method: r.assignment_method,
        hash_bucket: r.hash_bucket,
      }),
    );
    yield (count > 0 ? ',' : '') + parts.join(',');
    count += rows.length;
  }
  yield `],"sample_size":${count}}`;
}

/**
 * CSV with a header row always, LF line ends, and PostgreSQL `COPY … CSV` quoting. Online experiments add
 * two last columns, `assignment_method` and `hash_bucket` (how each arm was chosen); preassigned exports
 * keep the reference's columns exactly.
 */
export async function* assignmentsCsv(ctx: ServiceContext, loaded: LoadedExperiment): AsyncGenerator<string> {
  if (isBanditType(loaded.experiment.experiment_type)) {
    yield* drawsCsv(ctx, loaded, csvField);
    return;
  }
  const fields = strataFieldNames(loaded);
  const armNames = new Map(loaded.arms.map((a) => [a.id, a.name]));
  const online = loaded.experiment.experiment_type === 'freq_online';
  const extra = online ? ['assignment_method', 'hash_bucket'] : [];
  const clustered = clusterKeyOfStored(loaded) !== null;
  yield ['participant_id', ...(clustered ? ['cluster_key'] : []), 'arm_id', 'arm_name', 'created_at', ...fields, ...extra].map(csvField).join(',') + '\n';
  for await (const rows of pages(ctx, loaded.experiment.id)) {
    let chunk = '';
    for (const r of rows) {
      const strata = strataOf(r, fields).map((s) => csvField(s.strata_value));
      const how = online ? [csvField(r.assignment_method), r.hash_bucket === null ? '' : String(r.hash_bucket)] : [];
      const cluster = clustered ? [csvField(r.cluster_key ?? null)] : [];
      chunk += [csvField(r.participant_id), ...cluster, csvField(r.arm_id), csvField(armNames.get(r.arm_id) ?? ''), csvSeconds(r.created_at), ...strata, ...how].join(',') + '\n';
    }
    yield chunk;
  }
}

/** NULL is an empty unquoted field; an empty string is `""`; quotes, commas and line breaks force quoting. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '' || /[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

function csvSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function csvFilename(experimentId: string): string {
  return `experiment_${experimentId}_assignments.csv`;
}
