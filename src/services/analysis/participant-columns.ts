/**
 * Compact per-participant columns for the parts of an analysis that need a second look at the data:
 * Lin's adjustment (two passes) and the balance check. Only typed arrays: an arm byte, a cluster code, a
 * double per metric (NaN = missing) and per numeric covariate, and an integer level code per categorical
 * covariate (strings are kept once per distinct value). A million participants with three metrics and two
 * covariates take about 45 MB; analyses without covariates or strata never build this.
 */
import type { ColumnType, WarehouseValue } from '../../warehouse/warehouse.ts';
import type { ParticipantBatch } from './participant-stream.ts';

export type CovariateKind = 'numeric' | 'categorical';

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['boolean', 'integer', 'bigint', 'float', 'decimal']);

/** Numeric warehouse types become numbers (booleans 0/1); text, ids and dates become categories. */
export function covariateKind(type: ColumnType | undefined): CovariateKind {
  return type !== undefined && NUMERIC_TYPES.has(type) ? 'numeric' : 'categorical';
}

/** A metric or numeric covariate value as a double: booleans 0/1, exact-decimal strings parsed, else NaN. */
export function numericValue(v: WarehouseValue | undefined): number {
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : Number.NaN;
}

function categoryOf(v: WarehouseValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let size = this.data.length;
    while (size < n) size *= 2;
    const next = this.make(size);
    next.set(this.data as never);
    this.data = next;
  }
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly codes: Int32Array;
  /** Level text by code; -1 codes are missing. */
  readonly levels: readonly string[];
}

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

export type StoredColumn = CategoricalColumn | NumericColumn;

export interface ParticipantColumnsSpec {
  readonly metrics: readonly string[];
  readonly covariates: readonly { readonly name: string; readonly kind: CovariateKind }[];
  readonly clustered: boolean;
}

export class ParticipantColumns {
  #n = 0;
  readonly #arms = new Growable((n) => new Uint8Array(n));
  readonly #found = new Growable((n) => new Uint8Array(n));
  readonly #clusters: Growable<Int32Array> | null;
  readonly #clusterCodes = new Map<string, number>();
  readonly #metrics = new Map<string, Growable<Float64Array>>();
  readonly #numeric = new Map<string, Growable<Float64Array>>();
  readonly #categorical = new Map<string, { codes: Growable<Int32Array>; levels: string[]; index: Map<string, number> }>();

  constructor(readonly spec: ParticipantColumnsSpec) {
    this.#clusters = spec.clustered ? new Growable((n) => new Int32Array(n)) : null;
    for (const m of spec.metrics) this.#metrics.set(m, new Growable((n) => new Float64Array(n)));
    for (const c of spec.covariates) {
      if (c.kind === 'numeric') this.#numeric.set(c.name, new Growable((n) => new Float64Array(n)));
      else this.#categorical.set(c.name, { codes: new Growable((n) => new Int32Array(n)), levels: [], index: new Map() });
    }
  }

  get size(): number {
    return this.#n;
  }

  append(batch: ParticipantBatch): void {
    const start = this.#n;
    const end = start + batch.size;
    this.#arms.ensure(end);
    this.#found.ensure(end);
    this.#arms.data.set(batch.arms, start);
    this.#found.data.set(batch.found, start);
    if (this.#clusters) {
      this.#clusters.ensure(end);
      for (let i = 0; i < batch.size; i++) {
        const key = batch.clusters?.[i];
        if (key === null || key === undefined) throw new Error('a participant of a cluster design has no cluster key');
        let code = this.#clusterCodes.get(key);
        if (code === undefined) this.#clusterCodes.set(key, (code = this.#clusterCodes.size));
        this.#clusters.data[start + i] = code;
      }
    }
    for (const [name, column] of [...this.#metrics, ...this.#numeric]) {
      column.ensure(end);
      const values = batch.values[name]!;
      for (let i = 0; i < batch.size; i++) column.data[start + i] = numericValue(values[i]);
    }
    for (const [name, column] of this.#categorical) {
      column.codes.ensure(end);
      const values = batch.values[name]!;
      for (let i = 0; i < batch.size; i++) {
        const text = categoryOf(values[i]);
        let code = -1;
        if (text !== null) {
          const known = column.index.get(text);
          if (known === undefined) {
            code = column.levels.length;
            column.index.set(text, code);
            column.levels.push(text);
          } else code = known;
        }
        column.codes.data[start + i] = code;
      }
    }
    this.#n = end;
  }

  get arms(): Uint8Array {
    return this.#arms.data.subarray(0, this.#n);
  }

  get found(): Uint8Array {
    return this.#found.data.subarray(0, this.#n);
  }

  /** Cluster code per participant (0 … clusterCount − 1), or null for individual designs. */
  get clusters(): Int32Array | null {
    return this.#clusters ? this.#clusters.data.subarray(0, this.#n) : null;
  }

  metric(name: string): Float64Array {
    const column = this.#metrics.get(name);
    if (!column) throw new Error(`metric ${name} was not buffered`);
    return column.data.subarray(0, this.#n);
  }

  covariate(name: string): StoredColumn {
    const numeric = this.#numeric.get(name);
    if (numeric) return { kind: 'numeric', values: numeric.data.subarray(0, this.#n) };
    const categorical = this.#categorical.get(name);
    if (!categorical) throw new Error(`covariate ${name} was not buffered`);
    return { kind: 'categorical', codes: categorical.codes.data.subarray(0, this.#n), levels: categorical.levels };
  }
}
