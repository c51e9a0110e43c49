/**
 * The assigned participants of an experiment joined with their warehouse rows, in bounded memory: the
 * assignments are read from the app database a page at a time (keyset on participant id) and fed lazily to
 * `Warehouse.fetchByIds`, which answers each batch of ids with the rows it found. Because the warehouse
 * consumes ids in step with its output (see `fetchByIds`), the ids sent since the last answer are exactly
 * the ones that answer covers; those without a row are participants absent from the warehouse, which the
 * analysis counts as missing values. Nothing holds more than two pages (the next is read ahead) and one
 * batch at a time.
 */
import type { Kysely } from 'kysely';
import { ValidationError } from '../../domain/errors.ts';
import type { DB } from '../../store/schema.ts';
import type { ColumnType, Warehouse, WarehouseValue } from '../../warehouse/warehouse.ts';

/** Assignment rows read per app-database query. */
export const ASSIGNMENT_PAGE_ROWS = 50_000;

/** One batch of participants in assignment order, column by column. */
export interface ParticipantBatch {
  readonly size: number;
  /** Arm index (design order) per participant. */
  readonly arms: Int32Array;
  /** Cluster key per participant, for cluster designs; otherwise null. */
  readonly clusters: readonly (string | null)[] | null;
  /** 1 when the warehouse had a row for the participant. */
  readonly found: Uint8Array;
  /** Requested warehouse columns, aligned with `arms`; null for NULL values and absent participants. */
  readonly values: Readonly<Record<string, readonly WarehouseValue[]>>;
}

export interface ParticipantStreamRequest {
  readonly experimentId: string;
  readonly table: string;
  readonly idField: string;
  /** The id column's type as captured at design time, to match ids the way the warehouse writes them. */
  readonly idType: ColumnType | undefined;
  readonly columns: readonly string[];
  /** Arm id → index. */
  readonly armIndex: ReadonlyMap<string, number>;
  readonly clustered: boolean;
  /** Ids per warehouse statement (the engines' default when absent). */
  readonly fetchBatchSize?: number | undefined;
  readonly pageRows?: number | undefined;
  /** Called between batches; throws to abandon the stream (deadlines). */
  readonly checkpoint?: (() => void) | undefined;
}

interface Pending {
  readonly id: string;
  readonly arm: number;
  readonly cluster: string | null;
}

/**
 * The id as the warehouse writes it back, so an id stored as the client sent it still matches: integers
 * without leading zeros, UUIDs in lower case without dashes, decimals as numbers.
 */
export function canonicalId(type: ColumnType | undefined, id: string): string {
  switch (type) {
    case 'integer':
    case 'bigint':
      return /^-?\d+$/.test(id) ? BigInt(id).toString() : id;
    case 'uuid':
      return id.toLowerCase().replace(/-/g, '');
    case 'float':
    case 'decimal': {
      const n = Number(id);
      return id.trim() !== '' && Number.isFinite(n) ? String(n) : id;
    }
    default:
      return id;
  }
}

export async function* streamParticipants(db: Kysely<DB>, warehouse: Warehouse, request: ParticipantStreamRequest): AsyncGenerator<ParticipantBatch> {
  const pageRows = request.pageRows ?? ASSIGNMENT_PAGE_ROWS;
  const pending: Pending[] = [];
  const armOf = (armId: string): number => {
    const arm = request.armIndex.get(armId);
    // An assignment to an arm the experiment no longer has would silently vanish from every count.
    if (arm === undefined) throw new Error(`assignment to unknown arm ${armId} in experiment ${request.experimentId}`);
    return arm;
  };

  type PageRow = { participant_id: string; arm_id: string; cluster_key: string | null };
  const readPage = (after: string | null): Promise<PageRow[]> => {
    let q = db
      .selectFrom('assignments')
      .select(['participant_id', 'arm_id', 'cluster_key'])
      .where('experiment_id', '=', request.experimentId);
    if (after !== null) q = q.where('participant_id', '>', after);
    const page = q.orderBy('participant_id').limit(pageRows).execute();
    // Awaited below; until then a failure must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };

  /**
   * Ids in participant order. The next page is requested as soon as the current one arrives, so the app
   * database works while the warehouse answers the batches of the current page (at most two pages held).
   */
  async function* ids(): AsyncGenerator<string> {
    let next: Promise<PageRow[]> | null = readPage(null);
    while (next) {
      const page: PageRow[] = await next;
      next = page.length < pageRows ? null : readPage(page[page.length - 1]!.participant_id);
      for (const row of page) {
        pending.push({ id: row.participant_id, arm: armOf(row.arm_id), cluster: row.cluster_key ?? null });
        yield row.participant_id;
      }
    }
  }

  const join = (rows: readonly Readonly<Record<string, WarehouseValue>>[]): ParticipantBatch => {
    const batch = pending.splice(0);
    const at = new Map<string, number>();
    for (let i = 0; i < batch.length; i++) at.set(canonicalId(request.idType, batch[i]!.id), i);
    const size = batch.length;
    const found = new Uint8Array(size);
    const values: Record<string, WarehouseValue[]> = {};
    for (const c of request.columns) values[c] = new Array<WarehouseValue>(size).fill(null);
    for (const row of rows) {
      const raw = row[request.idField];
      const i = raw === null || raw === undefined ? undefined : at.get(canonicalId(request.idType, String(raw)));
      if (i === undefined) continue;
      if (found[i]) {
        throw new ValidationError(
          `Participant ID '${batch[i]!.id}' appears more than once in table '${request.table}'; the analysis needs one row per participant.`,
          'analysis',
        );
      }
      found[i] = 1;
      for (const c of request.columns) values[c]![i] = row[c] ?? null;
    }
    return {
      size,
      arms: Int32Array.from(batch, (p) => p.arm),
      clusters: request.clustered ? batch.map((p) => p.cluster) : null,
      found,
      values,
    };
  };

  for await (const rows of warehouse.fetchByIds({
    table: request.table,
    idField: request.idField,
    columns: request.columns,
    ids: ids(),
    ...(request.fetchBatchSize !== undefined ? { batchSize: request.fetchBatchSize } : {}),
  })) {
    request.checkpoint?.();
    yield join(rows);
  }
  // Ids consumed after the last answer (all of them unmatchable, or a warehouse with no rows at all).
  if (pending.length > 0) yield join([]);
}
