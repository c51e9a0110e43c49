/**
 * Bulk export of a bandit experiment's draws (reference §1.9, bandit rows), page by page in participant-id
 * order like the assignment export. JSON rows: `participant_id, arm_id, arm_name, created_at, strata: null,
 * observed_at, outcome, context_values`, plus (beyond the reference) `autofailed_outcome` and `propensity`.
 * CSV: `participant_id,arm_id,arm_name,created_at,outcome` (and `context_vals` as a PostgreSQL array literal
 * for contextual bandits), plus `observed_at,propensity,autofailed_outcome` as the last columns. The
 * propensities are what an analyst needs to weight the outcomes (inverse-propensity estimates) themselves.
 */
import { pageDraws, type DrawRow } from '../../store/repositories/draws.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { ServiceContext } from '../context.ts';

export const DRAW_EXPORT_PAGE_ROWS = 1_000;

async function* pages(ctx: ServiceContext, experimentId: string): AsyncGenerator<DrawRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await pageDraws(ctx.db, experimentId, after, DRAW_EXPORT_PAGE_ROWS);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < DRAW_EXPORT_PAGE_ROWS) return;
    after = (rows.at(-1) as DrawRow).participant_id;
  }
}

/** `{"balance_check": null, "experiment_id", "assignments": [...], "sample_size"}`, as text chunks. */
export async function* drawsJson(ctx: ServiceContext, loaded: LoadedExperiment): AsyncGenerator<string> {
  const armNames = new Map(loaded.arms.map((a) => [a.id, a.name]));
  const e = loaded.experiment;
  yield `{"balance_check":null,"experiment_id":${JSON.stringify(e.id)},"assignments":[`;
  let count = 0;
  for await (const rows of pages(ctx, e.id)) {
    const parts = rows.map((r) =>
      JSON.stringify({
        participant_id: r.participant_id,
        arm_id: r.arm_id,
        arm_name: armNames.get(r.arm_id) ?? '',
        created_at: r.created_at.toISOString(),
        strata: null,
        observed_at: r.observed_at?.toISOString() ?? null,
        outcome: r.outcome,
        context_values: r.context_vals,
        autofailed_outcome: r.autofailed_outcome,
        propensity: r.propensity,
      }),
    );
    yield (count > 0 ? ',' : '') + parts.join(',');
    count += rows.length;
  }
  yield `],"sample_size":${count}}`;
}

/** CSV with a header row always, LF line ends, and `COPY … CSV` quoting (`csvField`). */
export async function* drawsCsv(ctx: ServiceContext, loaded: LoadedExperiment, csvField: (v: string | null) => string): AsyncGenerator<string> {
  const armNames = new Map(loaded.arms.map((a) => [a.id, a.name]));
  const contextual = loaded.experiment.experiment_type === 'cmab_online';
  const header = ['participant_id', 'arm_id', 'arm_name', 'created_at', 'outcome', ...(contextual ? ['context_vals'] : []), 'observed_at', 'propensity', 'autofailed_outcome'];
  yield header.join(',') + '\n';
  for await (const rows of pages(ctx, loaded.experiment.id)) {
    let chunk = '';
    for (const r of rows) {
      const fields = [
        csvField(r.participant_id),
        csvField(r.arm_id),
        csvField(armNames.get(r.arm_id) ?? ''),
        seconds(r.created_at),
        r.outcome === null ? '' : String(r.outcome),
        ...(contextual ? [csvField(r.context_vals === null ? null : `{${r.context_vals.join(',')}}`)] : []),
        r.observed_at === null ? '' : seconds(r.observed_at),
        String(r.propensity),
        r.autofailed_outcome === null ? '' : String(r.autofailed_outcome),
      ];
      chunk += fields.join(',') + '\n';
    }
    yield chunk;
  }
}

/** UTC to the second, `YYYY-MM-DDTHH:MM:SSZ`, as the reference's CSV writes `created_at`. */
function seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
