/**
 * Writing a preassignment inside the caller's transaction: the assignment rows in chunks of
 * `INSERT_CHUNK_ROWS` (built chunk by chunk from the cohort's columns, so the rows of a million
 * participants never exist at once), then the arm sizes, the balance check and the final progress on the
 * experiment. Each row stores every stratification column (metrics included) as text, "NA" for NULL.
 */
import type { Transaction } from 'kysely';
import { INSERT_CHUNK_ROWS, insertAssignmentColumns } from '../../store/repositories/assignments.ts';
import type { DB } from '../../store/schema.ts';
import type { Cell } from '../../stats/preprocess.ts';
import type { ProgressReporter } from './assignment-progress.ts';
import type { Cohort } from './preassign-cohort.ts';
import type { Preassignment } from './preassign.ts';

export interface WritePreassignment {
  readonly experimentId: string;
  readonly armIds: readonly string[];
  readonly cohort: Cohort;
  readonly assignment: Preassignment;
  readonly progress: ProgressReporter;
  readonly chunkRows?: number;
}

export async function writePreassignment(trx: Transaction<DB>, w: WritePreassignment): Promise<void> {
  const { cohort, assignment, armIds } = w;
  const n = cohort.ids.length;
  const chunkRows = w.chunkRows ?? INSERT_CHUNK_ROWS;
  const strataJson = strataEncoder(cohort.columns);
  w.progress.phase('writing', n);
  for (let from = 0; from < n; from += chunkRows) {
    const to = Math.min(n, from + chunkRows);
    const participantIds = cohort.ids.slice(from, to);
    const armColumn: string[] = new Array<string>(to - from);
    const strata: string[] = new Array<string>(to - from);
    for (let i = from; i < to; i++) {
      armColumn[i - from] = armIds[assignment.arms[i] as number] as string;
      strata[i - from] = strataJson(i);
    }
    const clusterKeys = cohort.clusterKeys === null ? null : cohort.clusterKeys.slice(from, to).map(String);
    await insertAssignmentColumns(trx, w.experimentId, { participantIds, armIds: armColumn, strata, clusterKeys });
    w.progress.written(to);
  }
  for (const [index, armId] of armIds.entries()) {
    await trx
      .updateTable('arms')
      .set({ population: assignment.armSizes[index] ?? 0, cluster_count: assignment.armClusterCounts?.[index] ?? null })
      .where('id', '=', armId)
      .execute();
  }
  await trx
    .updateTable('experiments')
    .set({
      balance_check: assignment.balanceCheck ? JSON.stringify(assignment.balanceCheck) : null,
      assignment_progress: JSON.stringify(w.progress.done()),
    })
    .where('id', '=', w.experimentId)
    .execute();
}

/**
 * Row i's `[{"field_name", "strata_value"}…]` as JSON text, columns sorted by name. The JSON of each
 * distinct value is computed once per column.
 */
function strataEncoder(columns: Readonly<Record<string, readonly Cell[]>>): (i: number) => string {
  const names = Object.keys(columns).sort();
  const parts = names.map((name) => ({
    values: columns[name] as readonly Cell[],
    prefix: `{"field_name":${JSON.stringify(name)},"strata_value":`,
    cache: new Map<Cell, string>(),
  }));
  return (i) => {
    let out = '[';
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as (typeof parts)[number];
      const v = part.values[i] ?? null;
      let json = part.cache.get(v);
      if (json === undefined) {
        json = JSON.stringify(strataValue(v));
        if (part.cache.size < 10_000) part.cache.set(v, json);
      }
      out += (p > 0 ? ',' : '') + part.prefix + json + '}';
    }
    return out + ']';
  };
}

/** As the reference stores them: text, with "NA" for a missing value (NULL or NaN). */
export function strataValue(v: Cell): string {
  if (v === null || (typeof v === 'number' && Number.isNaN(v))) return 'NA';
  return String(v);
}
