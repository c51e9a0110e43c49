/**
 * Checks filters against the column types of the table they target (spec §3.4 "Value typing per column type"
 * and the relation rules), and turns accepted values into the canonical strings the SQL compiler binds.
 * Problems come back as a list with locations relative to the filter list, so the caller can prefix
 * `["body", "design_spec", "filters"]` and answer one 422 that names every bad value at once.
 */
import type { ValidationIssue } from '../domain/errors.ts';
import type { ColumnType, Filter, FilterValue } from './warehouse.ts';

/** Identifiers we are willing to put in SQL (quoted, but still restricted so no dialect surprises us). */
export const FIELD_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const UUID_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Date, optional time (seconds and fraction optional), optional offset. Captures: y m d H M S fraction offset.
const ISO_DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

interface ParsedInstant {
  readonly date: string;
  /** `HH:MM:SS` plus up to six fraction digits; `00:00:00` when the string had no time. */
  readonly time: string;
}

type Parse<T> = { ok: true; value: T } | { ok: false; msg: string };

function parseIsoInstant(text: string): Parse<ParsedInstant> {
  const m = ISO_DATETIME_PATTERN.exec(text);
  if (!m) return { ok: false, msg: `Value '${text}' is not an ISO 8601 date or datetime.` };
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', fraction, offset] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches impossible calendar dates.
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return { ok: false, msg: `Value '${text}' is not a valid calendar date.` };
  }
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) {
    return { ok: false, msg: `Value '${text}' has an invalid time of day.` };
  }
  if (offset !== undefined && !/^(?:[Zz]|[+-]00(?::?00)?)$/.test(offset)) {
    return { ok: false, msg: `Value '${text}' must be in UTC (offset Z or +00:00).` };
  }
  // Warehouses store microseconds at best; finer digits are dropped rather than rounded, as the reference does.
  const micros = fraction ? `.${fraction.slice(0, 6)}` : '';
  return { ok: true, value: { date: `${y}-${mo}-${d}`, time: `${hh}:${mi}:${ss}${micros}` } };
}

/** Why `value` (not null) does not fit a column of `type`, or null when it fits. */
function typeProblem(type: ColumnType, value: string | number | boolean): string | null {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Boolean columns need true or false.';
    case 'string':
      return typeof value === 'string' ? null : 'String columns need a string value.';
    case 'uuid':
      return typeof value === 'string' && UUID_PATTERN.test(value) ? null : 'UUID columns need a UUID string.';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : 'Integer columns need an integer.';
    case 'float':
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Numeric columns need a finite number.';
    case 'bigint':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? null : 'Bigint columns need an integer (send large values as a decimal string).';
      if (typeof value === 'string' && /^-?\d+$/.test(value)) {
        const n = BigInt(value);
        return n >= INT64_MIN && n <= INT64_MAX ? null : 'Bigint value is out of the 64-bit range.';
      }
      return 'Bigint columns need an integer or a decimal integer string.';
    case 'date':
    case 'timestamp':
    case 'timestamptz': {
      if (typeof value !== 'string') return 'Date and timestamp columns need an ISO 8601 string.';
      const parsed = parseIsoInstant(value);
      return parsed.ok ? null : parsed.msg;
    }
    case 'unsupported':
      return 'Filters are not supported on this column type.';
  }
}

function valueKind(value: FilterValue): string {
  return value === null ? 'null' : typeof value;
}

/**
 * Every problem with `filters` for a table whose columns have `columnTypes`; an empty list means they are
 * safe to compile.
 *
 * @example validateFilters([{ field_name: 'age', relation: 'between', value: [18, null] }], { age: 'integer' }) // []
 */
export function validateFilters(
  filters: readonly Filter[],
  columnTypes: Readonly<Record<string, ColumnType>>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  filters.forEach((filter, i) => {
    const add = (loc: (string | number)[], msg: string): void => {
      issues.push({ loc: [i, ...loc], msg, type: 'value_error' });
    };
    if (!FIELD_NAME_PATTERN.test(filter.field_name)) {
      add(['field_name'], `Invalid field name '${filter.field_name}'.`);
      return;
    }
    const type = Object.hasOwn(columnTypes, filter.field_name) ? columnTypes[filter.field_name] : undefined;
    if (type === undefined) {
      add(['field_name'], `Column '${filter.field_name}' does not exist in the table.`);
      return;
    }
    const values = filter.value;

    if (filter.relation === 'between') {
      if (type === 'boolean') add(['relation'], 'Boolean columns cannot use between.');
      if (values.length !== 2 && values.length !== 3) {
        add(['value'], 'between needs exactly 2 values, or 3 with a trailing null.');
        return;
      }
      const [lo, hi] = values as [FilterValue, FilterValue];
      if (values.length === 3 && values[2] !== null) add(['value', 2], 'The third value of between may only be null.');
      if (lo === null && hi === null) add(['value'], 'At most one bound of between may be null.');
      if (lo !== null && hi !== null && typeof lo !== typeof hi) {
        add(['value'], `The bounds of between must be the same type (got ${valueKind(lo)} and ${valueKind(hi)}).`);
      }
    } else {
      if (values.length === 0) {
        add(['value'], `${filter.relation} needs at least one value.`);
        return;
      }
      if (type === 'boolean') {
        if (new Set(values).size !== values.length) add(['value'], 'Boolean filter values must not repeat.');
        // Matching every value (or none) is almost certainly a mistake, so the reference refuses it.
        else if (values.length === 3) add(['value'], `A boolean ${filter.relation} of true, false and null is not allowed.`);
      }
    }

    values.forEach((value, j) => {
      if (value === null) return;
      const problem = typeProblem(type, value);
      if (problem) add(['value', j], problem);
    });
  });
  return issues;
}

/**
 * The form a validated, non-null value is bound in: dates as `YYYY-MM-DD` (the time part dropped),
 * timestamps as `YYYY-MM-DD HH:MM:SS[.ffffff]`, timestamptz the same with an explicit `+00:00` (so the
 * session time zone never reinterprets it), bigints as decimal strings, UUIDs lower-case with hyphens.
 */
export function bindableFilterValue(type: ColumnType, value: string | number | boolean): string | number | boolean {
  switch (type) {
    case 'date':
    case 'timestamp':
    case 'timestamptz': {
      const parsed = parseIsoInstant(String(value));
      if (!parsed.ok) return value;
      if (type === 'date') return parsed.value.date;
      const naive = `${parsed.value.date} ${parsed.value.time}`;
      return type === 'timestamp' ? naive : `${naive}+00:00`;
    }
    case 'bigint':
      return String(value);
    case 'uuid': {
      const hex = String(value).replaceAll('-', '').toLowerCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default:
      return value;
  }
}
