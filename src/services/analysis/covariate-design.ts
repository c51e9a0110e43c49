/**
 * Turns pre-treatment columns into the numeric covariates of Lin's adjustment and of the balance check,
 * the same way for both, over the participants found in the warehouse:
 *
 * - a numeric column is used as is, its missing values replaced by the column's mean; when at least
 *   `MIN_CELL` participants lack a value, an indicator `<field>:missing` is added (mean imputation plus
 *   indicator keeps every participant with an outcome in the adjusted estimate, and Lin's estimator stays
 *   unbiased because the imputation uses pre-treatment data only);
 * - a categorical column (text, ids, dates) becomes 0/1 dummies `<field>=<level>` of its levels, the first
 *   in code-point order left out; missing values are the level `__NULL__` (last), and levels seen fewer
 *   than `MIN_CELL` times are merged into `__OTHER__` (before `__NULL__`). Rare cells make robust (HC1)
 *   standard errors, and so the balance test, unreliable: a dummy that is 1 for three people has leverage
 *   near 1 and a residual near 0.
 *
 * A column left with a single level, or without any value, adds nothing and is reported as dropped.
 */
import { ValidationError } from '../../domain/errors.ts';
import type { ParticipantColumns } from './participant-columns.ts';

export const MIN_CELL = 20;
export const MAX_LEVELS = 50;
export const MAX_COVARIATE_COLUMNS = 100;
export const MISSING_LEVEL = '__NULL__';
export const OTHER_LEVEL = '__OTHER__';

export interface EncodedCovariates {
  /** Encoded column names, e.g. `age`, `age:missing`, `region=north`. */
  readonly names: readonly string[];
  /** One value per buffered participant (0 for participants absent from the warehouse). */
  readonly columns: readonly Float64Array[];
  /** Fields that contributed no column, with why. */
  readonly dropped: readonly { readonly field: string; readonly reason: string }[];
}

/** Code-point order, as Python's `sorted` on str (the fixtures' generator) and the rest of Equipoise. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function encodeCovariates(store: ParticipantColumns, fields: readonly string[]): EncodedCovariates {
  const n = store.size;
  const found = store.found;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const dropped: { field: string; reason: string }[] = [];

  for (const field of fields) {
    const stored = store.covariate(field);
    if (stored.kind === 'numeric') {
      let observed = 0;
      let missing = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (!found[i]) continue;
        const v = stored.values[i]!;
        if (Number.isNaN(v)) missing++;
        else {
          observed++;
          sum += v;
        }
      }
      if (observed === 0) {
        dropped.push({ field, reason: 'no participant has a value' });
        continue;
      }
      const mean = sum / observed;
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!found[i]) continue;
        const v = stored.values[i]!;
        column[i] = Number.isNaN(v) ? mean : v;
      }
      names.push(field);
      columns.push(column);
      if (missing >= MIN_CELL) {
        const indicator = new Float64Array(n);
        for (let i = 0; i < n; i++) if (found[i] && Number.isNaN(stored.values[i]!)) indicator[i] = 1;
        names.push(`${field}:missing`);
        columns.push(indicator);
      }
      continue;
    }

    // Categorical: count each level (and missing) among found participants, merge rare ones.
    const counts = new Float64Array(stored.levels.length);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      if (!found[i]) continue;
      const code = stored.codes[i]!;
      if (code < 0) missing++;
      else counts[code] = counts[code]! + 1;
    }
    const kept = stored.levels.filter((_, code) => counts[code]! >= MIN_CELL).sort(byCodePoint);
    const anyRare = stored.levels.some((_, code) => counts[code]! > 0 && counts[code]! < MIN_CELL) || (missing > 0 && missing < MIN_CELL);
    const order = [...kept, ...(anyRare ? [OTHER_LEVEL] : []), ...(missing >= MIN_CELL ? [MISSING_LEVEL] : [])];
    if (order.length < 2) {
      dropped.push({ field, reason: order.length === 0 ? 'no participant has a value' : 'only one level' });
      continue;
    }
    if (order.length > MAX_LEVELS) {
      throw new ValidationError(`Covariate '${field}' has ${order.length} levels; at most ${MAX_LEVELS} can be adjusted for.`, 'analysis');
    }
    const position = new Map(order.map((level, k) => [level, k]));
    // Level code → encoded level index (0 = the reference level, no column).
    const levelOf = Int32Array.from(stored.levels, (level, code) => position.get(counts[code]! >= MIN_CELL ? level : OTHER_LEVEL) ?? 0);
    const missingLevel = position.get(missing >= MIN_CELL ? MISSING_LEVEL : OTHER_LEVEL) ?? 0;
    const dummies = order.slice(1).map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      if (!found[i]) continue;
      const code = stored.codes[i]!;
      const level = code < 0 ? missingLevel : levelOf[code]!;
      if (level > 0) dummies[level - 1]![i] = 1;
    }
    order.slice(1).forEach((level, k) => {
      names.push(`${field}=${level}`);
      columns.push(dummies[k]!);
    });
  }
  if (columns.length > MAX_COVARIATE_COLUMNS) {
    throw new ValidationError(`The covariates expand to ${columns.length} columns; at most ${MAX_COVARIATE_COLUMNS} can be adjusted for.`, 'analysis');
  }
  return { names, columns, dropped };
}
