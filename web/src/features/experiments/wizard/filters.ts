/**
 * Eligibility filters as people write them ("age between 18 and 35, or missing") and as the API stores
 * them (three relations, spec §3.4). The operators offered depend on the column type:
 *
 *   boolean            is (true/false)
 *   text, uuid         is one of · is not one of
 *   numbers, dates     is one of · is not one of · at least (on or after) · at most (on or before) · between
 *   every type         is missing · has a value
 *
 * and every value operator has an "or missing" switch. On the wire: `includes` lists the accepted values
 * (a `null` among them accepts missing ones); `excludes` keeps missing values unless `null` is listed, so
 * "is not one of" without "or missing" sends the `null` to drop them, as a reader of the sentence expects;
 * `between [lo, hi]` takes `null` for an open bound and a third `null` for "or missing".
 */
import type { ColumnType, FilterScalar, FilterSpec } from '../api-types.ts';

export type FilterOp = 'is' | 'one_of' | 'not_one_of' | 'at_least' | 'at_most' | 'between' | 'is_missing' | 'has_value';

export type TypeFamily = 'boolean' | 'text' | 'number' | 'date' | 'unsupported';

/** One filter row of the wizard; every input is kept as typed so nothing is lost while it is invalid. */
export interface WizardFilter {
  readonly key: string;
  readonly field: string;
  readonly op: FilterOp;
  /** "is one of" / "is not one of": one value per line. */
  readonly values: string;
  readonly low: string;
  readonly high: string;
  readonly bool: 'true' | 'false';
  readonly orNull: boolean;
}

export function familyOf(type: ColumnType): TypeFamily {
  switch (type) {
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'uuid':
      return 'text';
    case 'integer':
    case 'bigint':
    case 'float':
    case 'decimal':
      return 'number';
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return 'date';
    default:
      return 'unsupported';
  }
}

const OPS: Record<TypeFamily, readonly FilterOp[]> = {
  boolean: ['is', 'is_missing', 'has_value'],
  text: ['one_of', 'not_one_of', 'is_missing', 'has_value'],
  number: ['one_of', 'not_one_of', 'at_least', 'at_most', 'between', 'is_missing', 'has_value'],
  date: ['one_of', 'not_one_of', 'at_least', 'at_most', 'between', 'is_missing', 'has_value'],
  unsupported: [],
};

export function operatorsFor(type: ColumnType): readonly FilterOp[] {
  return OPS[familyOf(type)];
}

export function defaultOperator(type: ColumnType): FilterOp {
  const family = familyOf(type);
  return family === 'boolean' ? 'is' : family === 'number' || family === 'date' ? 'between' : 'one_of';
}

export function operatorLabel(op: FilterOp, type: ColumnType): string {
  const dated = familyOf(type) === 'date';
  switch (op) {
    case 'is':
      return 'is';
    case 'one_of':
      return 'is one of';
    case 'not_one_of':
      return 'is not one of';
    case 'at_least':
      return dated ? 'is on or after (≥)' : 'is at least (≥)';
    case 'at_most':
      return dated ? 'is on or before (≤)' : 'is at most (≤)';
    case 'between':
      return 'is between';
    case 'is_missing':
      return 'is missing (NULL)';
    case 'has_value':
      return 'has a value (not NULL)';
  }
}

/** Whether the operator takes values (and so an "or missing" switch). */
export function takesValues(op: FilterOp): boolean {
  return op !== 'is_missing' && op !== 'has_value';
}

export function usesList(op: FilterOp): boolean {
  return op === 'one_of' || op === 'not_one_of';
}

export function usesLow(op: FilterOp): boolean {
  return op === 'at_least' || op === 'between';
}

export function usesHigh(op: FilterOp): boolean {
  return op === 'at_most' || op === 'between';
}

const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const INT64_MAX = 2n ** 63n - 1n;

export type Parsed = { ok: true; value: string | number | boolean } | { ok: false; message: string };

function validDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/**
 * One typed-in value as the API wants it for a column of `type`: integers as numbers, bigints as decimal
 * strings (beyond 2^53 a JSON number would lose digits), dates as `YYYY-MM-DD`, timestamps as entered
 * (timestamptz marked UTC), or why it does not fit.
 */
export function parseValue(type: ColumnType, raw: string): Parsed {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Enter a value.' };
  switch (type) {
    case 'boolean':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, message: 'Choose true or false.' };
    case 'string':
      return { ok: true, value: text };
    case 'uuid':
      return UUID.test(text) ? { ok: true, value: text } : { ok: false, message: `'${text}' is not a UUID.` };
    case 'integer': {
      const n = Number(text);
      return /^-?\d+$/.test(text) && Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, message: `'${text}' is not a whole number.` };
    }
    case 'bigint': {
      if (!/^-?\d+$/.test(text)) return { ok: false, message: `'${text}' is not a whole number.` };
      const n = BigInt(text);
      return n <= INT64_MAX && n >= -INT64_MAX - 1n ? { ok: true, value: n.toString() } : { ok: false, message: `'${text}' is outside the 64-bit range.` };
    }
    case 'float':
    case 'decimal': {
      const n = Number(text);
      return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `'${text}' is not a number.` };
    }
    case 'date':
      return validDay(text) ? { ok: true, value: text } : { ok: false, message: `'${text}' is not a date (YYYY-MM-DD).` };
    case 'timestamp':
    case 'timestamptz': {
      const m = LOCAL_TIME.exec(text);
      if (!m || !validDay(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) {
        return { ok: false, message: `'${text}' is not a date and time (YYYY-MM-DD HH:MM).` };
      }
      const iso = `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}`;
      return { ok: true, value: type === 'timestamptz' ? `${iso}Z` : iso };
    }
    default:
      return { ok: false, message: 'This column type cannot be filtered.' };
  }
}

/** The lines of a "one value per line" box, without blanks. */
export function listValues(text: string): string[] {
  return text
    .split('\n')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** What is wrong with a filter's values, keyed `values`, `low`, `high` (empty when it can be sent). */
export function filterValueProblems(filter: WizardFilter, type: ColumnType): Partial<Record<'values' | 'low' | 'high', string>> {
  const problems: Partial<Record<'values' | 'low' | 'high', string>> = {};
  if (usesList(filter.op)) {
    const values = listValues(filter.values);
    if (values.length === 0) problems.values = 'Enter at least one value, one per line.';
    for (const v of values) {
      const p = parseValue(type, v);
      if (!p.ok) {
        problems.values = p.message;
        break;
      }
    }
  }
  const low = usesLow(filter.op) ? parseValue(type, filter.low) : null;
  const high = usesHigh(filter.op) ? parseValue(type, filter.high) : null;
  if (low && !low.ok) problems.low = low.message;
  if (high && !high.ok) problems.high = high.message;
  if (low?.ok && high?.ok && compare(low.value, high.value) > 0) problems.high = 'The upper bound must not be below the lower bound.';
  return problems;
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string' && /^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const d = BigInt(a) - BigInt(b);
    return d === 0n ? 0 : d > 0n ? 1 : -1;
  }
  // ISO dates and timestamps of one column compare correctly as text.
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function parsedOrNull(type: ColumnType, raw: string): FilterScalar {
  const p = parseValue(type, raw);
  return p.ok ? p.value : null;
}

/** The API filter for a valid wizard filter (call `filterValueProblems` first). */
export function filterToSpec(filter: WizardFilter, type: ColumnType): FilterSpec {
  const orNull = filter.orNull ? [null] : [];
  const field_name = filter.field;
  switch (filter.op) {
    case 'is':
      return { field_name, relation: 'includes', value: [filter.bool === 'true', ...orNull] };
    case 'one_of':
      return { field_name, relation: 'includes', value: [...listValues(filter.values).map((v) => parsedOrNull(type, v)), ...orNull] };
    case 'not_one_of':
      return { field_name, relation: 'excludes', value: [...listValues(filter.values).map((v) => parsedOrNull(type, v)), ...(filter.orNull ? [] : [null])] };
    case 'at_least':
      return { field_name, relation: 'between', value: [parsedOrNull(type, filter.low), null, ...orNull] };
    case 'at_most':
      return { field_name, relation: 'between', value: [null, parsedOrNull(type, filter.high), ...orNull] };
    case 'between':
      return { field_name, relation: 'between', value: [parsedOrNull(type, filter.low), parsedOrNull(type, filter.high), ...orNull] };
    case 'is_missing':
      return { field_name, relation: 'includes', value: [null] };
    case 'has_value':
      return { field_name, relation: 'excludes', value: [null] };
  }
}

export function emptyFilter(key: string): WizardFilter {
  return { key, field: '', op: 'one_of', values: '', low: '', high: '', bool: 'true', orNull: false };
}

/** How a stored value reads back in an input: timestamps without their UTC mark, others as text. */
function shown(value: FilterScalar, type: ColumnType): string {
  if (value === null) return '';
  const text = String(value);
  if (type === 'timestamp' || type === 'timestamptz') return text.replace(/Z$/, '').replace(' ', 'T').slice(0, 16);
  return text;
}

/** The wizard filter for a stored one (to edit a draft's design again). */
export function filterFromSpec(spec: FilterSpec, type: ColumnType, key: string): WizardFilter {
  const base = { ...emptyFilter(key), field: spec.field_name };
  const values = spec.value.filter((v) => v !== null);
  const hasNull = spec.value.includes(null);
  if (spec.relation === 'between') {
    const [lo = null, hi = null] = spec.value;
    const orNull = spec.value.length === 3;
    const op: FilterOp = lo === null ? 'at_most' : hi === null ? 'at_least' : 'between';
    return { ...base, op, low: shown(lo, type), high: shown(hi, type), orNull };
  }
  if (values.length === 0) return { ...base, op: spec.relation === 'includes' ? 'is_missing' : 'has_value' };
  if (type === 'boolean') {
    // Booleans have three states; work out which are accepted and say it with "is" (+ or missing).
    const accepted = new Set<boolean | null>(spec.relation === 'includes' ? spec.value.map((v) => (v === null ? null : Boolean(v))) : [true, false, null].filter((v) => !spec.value.includes(v)));
    const t = accepted.has(true);
    const f = accepted.has(false);
    if (t && f) return { ...base, op: accepted.has(null) ? 'is_missing' : 'has_value' };
    if (!t && !f) return { ...base, op: 'is_missing' };
    return { ...base, op: 'is', bool: t ? 'true' : 'false', orNull: accepted.has(null) };
  }
  const list = values.map((v) => shown(v, type)).join('\n');
  if (spec.relation === 'includes') return { ...base, op: 'one_of', values: list, orNull: hasNull };
  return { ...base, op: 'not_one_of', values: list, orNull: !hasNull };
}

/** A filter in words, for summaries: "age is between 18 and 35, or missing". */
export function describeFilter(spec: FilterSpec): string {
  const values = spec.value.filter((v) => v !== null).map((v) => String(v));
  const hasNull = spec.value.includes(null);
  if (spec.relation === 'between') {
    const [lo = null, hi = null] = spec.value;
    const orNull = spec.value.length === 3 ? ', or missing' : '';
    if (lo === null) return `${spec.field_name} ≤ ${String(hi)}${orNull}`;
    if (hi === null) return `${spec.field_name} ≥ ${String(lo)}${orNull}`;
    return `${spec.field_name} between ${String(lo)} and ${String(hi)}${orNull}`;
  }
  if (spec.relation === 'includes') {
    if (values.length === 0) return `${spec.field_name} is missing`;
    return `${spec.field_name} is ${values.length > 1 ? 'one of ' : ''}${values.join(', ')}${hasNull ? ', or missing' : ''}`;
  }
  if (values.length === 0) return `${spec.field_name} has a value`;
  return `${spec.field_name} is not ${values.length > 1 ? 'one of ' : ''}${values.join(', ')}${hasNull ? ' (missing values excluded)' : ' (missing values kept)'}`;
}
