/**
 * Turns raw participant columns into strata: categorical columns keep their values as levels, numeric
 * columns are cut into quantile bins (pandas `qcut(q, duplicates="drop", labels=False)` semantics), and
 * missing values become an explicit "__NULL__" level. Columns that cannot stratify anything are dropped:
 * those with at most one distinct value, and non-numeric columns whose values are all distinct (ids).
 * Shared by stratified assignment (the strata) and the balance check (the covariates), as in the reference.
 */

/** One cell of a participant column. `NaN` counts as missing, like `null`. */
export type Cell = string | number | boolean | null;

/** The level given to missing values; always the last level of a column. */
export const MISSING_LEVEL = '__NULL__';

/** Quartiles, the reference's production setting. */
export const DEFAULT_QUANTILES = 4;

export interface ProcessedColumn {
  readonly name: string;
  /** `binned` = numeric column cut into quantile bins; `categorical` = strings, booleans, mixed. */
  readonly kind: 'binned' | 'categorical';
  /** Level labels in order: bin numbers ("0", "2", …; an empty interior bin leaves a gap), or values; "__NULL__" last. */
  readonly levels: readonly string[];
  /** Level index of every row (0 … levels.length − 1). */
  readonly codes: Int32Array;
  readonly hasMissing: boolean;
  /** The raw values of a numeric column without missing values: the balance check uses them linearly. */
  readonly raw?: Float64Array;
  /** Deduplicated bin edges of a binned column. */
  readonly edges?: readonly number[];
}

export interface Preprocessed {
  readonly rowCount: number;
  /** Surviving columns, sorted by name. */
  readonly columns: readonly ProcessedColumn[];
  /** Columns dropped: the caller's exclusions plus constant and id-like columns, sorted. */
  readonly excluded: readonly string[];
}

export interface PreprocessOptions {
  readonly quantiles?: number;
  readonly exclude?: readonly string[];
}

function isMissing(v: Cell | undefined): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Preprocesses columns (all of one length) into strata/covariates.
 * Example: `preprocess({ age: [21, 35, null], region: ['N', 'S', 'N'] }).columns.map((c) => c.levels)`.
 */
export function preprocess(columns: Readonly<Record<string, readonly Cell[]>>, options: PreprocessOptions = {}): Preprocessed {
  const quantiles = options.quantiles ?? DEFAULT_QUANTILES;
  if (!Number.isInteger(quantiles) || quantiles < 1) throw new RangeError(`quantiles must be a positive integer, got ${quantiles}`);
  const names = Object.keys(columns).sort();
  const lengths = new Set(names.map((n) => columns[n]!.length));
  if (lengths.size > 1) throw new RangeError('all columns must have the same length');
  const rowCount = names.length === 0 ? 0 : columns[names[0]!]!.length;
  const excluded = new Set(options.exclude ?? []);
  const out: ProcessedColumn[] = [];
  for (const name of names) {
    if (excluded.has(name)) continue;
    const values = columns[name]!;
    const processed = processColumn(name, values, quantiles);
    if (processed === null) excluded.add(name);
    else out.push(processed);
  }
  return { rowCount, columns: out, excluded: [...excluded].sort() };
}

function processColumn(name: string, values: readonly Cell[], quantiles: number): ProcessedColumn | null {
  let nonNull = 0;
  let numeric = true;
  for (const v of values) {
    if (isMissing(v)) continue;
    nonNull++;
    if (typeof v !== 'number' || !Number.isFinite(v)) numeric = false;
  }
  const hasMissing = nonNull < values.length;
  if (numeric) {
    const x = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      x[i] = isMissing(v) ? Number.NaN : (v as number);
    }
    const sorted = x.filter((v) => !Number.isNaN(v)).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    if (distinct <= 1) return null;
    const { labels, edges } = qcutSorted(x, sorted, quantiles);
    // Observed bin labels become the levels (pandas `.astype("category")` keeps only observed values).
    const seen = new Uint8Array(edges.length);
    for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) seen[labels[i]!] = 1;
    const observed: number[] = [];
    const codeOf = new Int32Array(edges.length);
    seen.forEach((flag, label) => {
      if (flag) codeOf[label] = observed.push(label) - 1;
    });
    const missingCode = observed.length;
    const codes = new Int32Array(values.length);
    for (let i = 0; i < codes.length; i++) codes[i] = labels[i]! < 0 ? missingCode : codeOf[labels[i]!]!;
    const levels = observed.map(String);
    if (hasMissing) levels.push(MISSING_LEVEL);
    return { name, kind: 'binned', levels, codes, hasMissing, edges, ...(hasMissing ? {} : { raw: x }) };
  }
  // Categorical: a Map keyed by the value itself keeps true, "true" and 1 distinct without a string per row.
  const index = new Map<Cell, number>();
  const firstValues: Cell[] = [];
  const raw = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      raw[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = firstValues.length;
      index.set(v, code);
      firstValues.push(v);
    }
    raw[i] = code;
  }
  const distinct = firstValues.length;
  if (distinct <= 1) return null;
  if (distinct === nonNull) return null; // every value unique: an identifier, useless as a stratum
  const order = firstValues.map((_, i) => i).sort((a, b) => compareCells(firstValues[a]!, firstValues[b]!));
  const rank = new Int32Array(distinct);
  order.forEach((original, position) => (rank[original] = position));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < codes.length; i++) codes[i] = raw[i]! < 0 ? distinct : rank[raw[i]!]!;
  const levels = order.map((i) => String(firstValues[i]));
  if (hasMissing) levels.push(MISSING_LEVEL);
  return { name, kind: 'categorical', levels, codes, hasMissing };
}

const TYPE_ORDER: Readonly<Record<string, number>> = { boolean: 0, number: 1, string: 2 };

function compareCells(a: Cell, b: Cell): number {
  const ta = TYPE_ORDER[typeof a]!;
  const tb = TYPE_ORDER[typeof b]!;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number') return a - (b as number);
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

/**
 * Type-7 (linear interpolation) quantile of sorted values, with numpy's two-sided lerp so that edges match
 * `np.quantile` bit for bit. Example: `quantileSorted(Float64Array.of(0, 1, 2, 3), 0.5)` → 1.5.
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

export interface QcutResult {
  /** Bin index per value among the deduplicated edges, −1 for missing. */
  readonly labels: Int32Array;
  readonly edges: readonly number[];
}

/**
 * pandas `qcut(x, q, duplicates="drop", labels=False)`: right-closed bins, the first including its left edge.
 * Example: `qcut([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4).labels` → [0, 0, 0, 1, 1, 2, 2, 3, 3, 3].
 */
export function qcut(values: readonly (number | null)[], q: number): QcutResult {
  const x = Float64Array.from(values, (v) => (v === null ? Number.NaN : v));
  return qcutSorted(x, x.filter((v) => !Number.isNaN(v)).sort(), q);
}

function qcutSorted(x: Float64Array, sorted: Float64Array, q: number): QcutResult {
  const edges: number[] = [];
  if (sorted.length > 0) {
    // Probabilities as np.linspace(0, 1, q + 1) builds them (i · (1/q), last exactly 1), so the edges equal
    // pandas' bit for bit: 3 · 0.2 is 0.6000000000000001, not 3/5.
    const step = 1 / q;
    for (let i = 0; i <= q; i++) {
      const e = quantileSorted(sorted, i === q ? 1 : i * step);
      if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
    }
  }
  const labels = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) {
      labels[i] = -1;
      continue;
    }
    // first edge ≥ v (binary search), minus one; v equal to the lowest edge belongs to bin 0
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    labels[i] = Math.max(0, lo - 1);
  }
  return { labels, edges };
}
