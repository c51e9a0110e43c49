/**
 * The in-memory twin of `filter-sql.ts`: decides whether one row passes the design's filters with the
 * same semantics as the SQL every engine runs (spec §3.4), for online assignment with participant
 * properties. Values are compared in canonical form: numbers numerically, bigints exactly, strings by
 * code point, dates and timestamps as normalized text, UUIDs case-insensitively.
 */
import { ValidationError } from '../domain/errors.ts';
import { bindableFilterValue, validateFilters } from './filter-values.ts';
import type { ColumnType, Filter, FilterValue, WarehouseValue } from './warehouse.ts';

type Key = number | bigint | string;

/** `YYYY-MM-DD HH:MM:SS.ffffff` from any canonical date/timestamp text, so text order is time order. */
function instantKey(text: string, type: ColumnType): string {
  const m = /^(\d{4,}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?/.exec(text);
  if (!m) return text;
  if (type === 'date') return m[1] as string;
  return `${m[1]} ${m[2] ?? '00:00:00'}.${(m[3] ?? '').slice(0, 6).padEnd(6, '0')}`;
}

/** The comparable form of a non-null row or filter value for a column of `type`, or undefined if it has none. */
function keyOf(type: ColumnType, value: string | number | boolean): Key | undefined {
  switch (type) {
    case 'integer':
    case 'float':
    case 'decimal': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'bigint':
      return /^-?\d+$/.test(String(value)) ? BigInt(String(value)) : undefined;
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return instantKey(String(value), type);
    case 'uuid':
      return String(value).replaceAll('-', '').toLowerCase();
    case 'string':
      return String(value);
    default:
      return undefined;
  }
}

/** Code-point order for strings (UTF-16 order differs only above the BMP's private-use area). */
function compare(a: Key, b: Key): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function passes(filter: Filter, type: ColumnType, raw: WarehouseValue): boolean {
  const isNull = raw === null || raw === undefined;
  if (type === 'boolean') {
    const value = isNull ? null : Boolean(raw);
    // IS / IS NOT against each listed value: NULL is simply one more value.
    const listed = filter.value.includes(value as FilterValue);
    return filter.relation === 'includes' ? listed : !listed;
  }
  const key = isNull ? undefined : keyOf(type, raw as string | number);
  const toKey = (v: string | number | boolean) => keyOf(type, bindableFilterValue(type, v));
  if (filter.relation === 'between') {
    const [lo = null, hi = null, orNull] = filter.value;
    if (key === undefined) return orNull === null && filter.value.length === 3;
    const loKey = lo === null ? undefined : toKey(lo);
    const hiKey = hi === null ? undefined : toKey(hi);
    return (loKey === undefined || compare(key, loKey) >= 0) && (hiKey === undefined || compare(key, hiKey) <= 0);
  }
  const hasNull = filter.value.includes(null);
  const inList = key !== undefined && filter.value.some((v) => v !== null && toKey(v) !== undefined && compare(key, toKey(v) as Key) === 0);
  if (filter.relation === 'includes') return key === undefined ? hasNull : inList;
  // excludes: NULL rows are kept unless null is listed.
  return key === undefined ? !hasNull : !inList;
}

/**
 * Whether `row` passes every filter. Throws `ValidationError` for filters that do not fit the column
 * types, exactly as the SQL compiler does.
 *
 * @example rowPassesFilters({ age: 30 }, [{ field_name: 'age', relation: 'between', value: [18, null] }], { age: 'integer' }) // true
 */
export function rowPassesFilters(
  row: Readonly<Record<string, WarehouseValue>>,
  filters: readonly Filter[],
  columnTypes: Readonly<Record<string, ColumnType>>,
): boolean {
  const issues = validateFilters(filters, columnTypes);
  if (issues.length > 0) throw new ValidationError(issues);
  return filters.every((f) => passes(f, columnTypes[f.field_name] as ColumnType, row[f.field_name] ?? null));
}
