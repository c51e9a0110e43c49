/**
 * Compiles design filters into a parameterized SQL WHERE clause for one warehouse dialect, with the
 * semantics of spec §3.4 (NULLs are kept by `excludes` unless listed, booleans compare with IS, a trailing
 * null in `between` also matches NULL). Values are always bound, never spliced into the text; the only
 * literals are TRUE/FALSE/NULL for boolean columns, which come from validated JS booleans.
 */
import { ValidationError } from '../domain/errors.ts';
import { FIELD_NAME_PATTERN, bindableFilterValue, validateFilters } from './filter-values.ts';
import type { ColumnType, Filter, FilterValue } from './warehouse.ts';

/** What differs between engines in the SQL we emit. Add MySQL/BigQuery by adding an object here. */
export interface SqlDialect {
  readonly name: string;
  /** The text of the `index`-th bound parameter, 1-based (`$1` in PostgreSQL, `?` in MySQL). */
  placeholder(index: number): string;
  quoteIdentifier(name: string): string;
  /** The engine's type name a bound string must be cast to for comparison with a column, or null for none. */
  castTypeFor(type: ColumnType): string | null;
  /**
   * A string column as compared for equality or order. Engines whose default collation is not binary wrap
   * it (MariaDB: a no-pad binary collation; PostgreSQL: `COLLATE "C"` for ranges) so every engine selects
   * the same rows.
   */
  stringColumn?(column: string, purpose: 'equality' | 'order'): string;
  /** Last adjustment of a canonical bound value, e.g. MariaDB's DATETIME literals cannot carry an offset. */
  bindValue?(type: ColumnType, value: string | number | boolean): string | number | boolean;
}

function doubleQuote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const POSTGRES_STYLE_CASTS: Partial<Record<ColumnType, string>> = {
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ',
  bigint: 'BIGINT',
  uuid: 'UUID',
};

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  placeholder: (index) => `$${index}`,
  quoteIdentifier: doubleQuote,
  castTypeFor: (type) => POSTGRES_STYLE_CASTS[type] ?? null,
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholder: (index) => `$${index}`,
  quoteIdentifier: doubleQuote,
  castTypeFor: (type) => POSTGRES_STYLE_CASTS[type] ?? null,
  // Equality under any deterministic collation is byte equality; ranges follow the database's locale
  // unless told otherwise, and DuckDB, MariaDB and BigQuery order by code point.
  stringColumn: (column, purpose) => (purpose === 'order' ? `${column} COLLATE "C"` : column),
};

/** Redshift: PostgreSQL's syntax, but no UUID type and a byte-order default collation. */
export const redshiftDialect: SqlDialect = {
  name: 'redshift',
  placeholder: (index) => `$${index}`,
  quoteIdentifier: doubleQuote,
  castTypeFor: (type) => (type === 'uuid' ? null : (POSTGRES_STYLE_CASTS[type] ?? null)),
};

const MYSQL_CASTS: Partial<Record<ColumnType, string>> = { date: 'DATE', timestamp: 'DATETIME(6)', timestamptz: 'DATETIME(6)', bigint: 'SIGNED' };

/**
 * MariaDB/MySQL. String columns are converted to utf8mb4 and compared under a binary collation without
 * trailing-space padding (`utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8): the default
 * `_ci` collations are case-insensitive and MariaDB's `utf8mb4_bin` still pads, so 'a' = 'a ' there but
 * not in PostgreSQL. The session time zone is UTC, so timestamptz values bind without their offset.
 */
export function mysqlDialect(binaryCollation = 'utf8mb4_nopad_bin'): SqlDialect {
  return {
    name: 'mysql',
    placeholder: () => '?',
    quoteIdentifier: (name) => `\`${name.replaceAll('`', '``')}\``,
    castTypeFor: (type) => MYSQL_CASTS[type] ?? null,
    stringColumn: (column) => `CONVERT(${column} USING utf8mb4) COLLATE ${binaryCollation}`,
    bindValue: (type, value) => (type === 'timestamptz' && typeof value === 'string' ? value.replace(/\+00:00$/, '') : value),
  };
}
export const mariadbDialect = mysqlDialect();

const BIGQUERY_CASTS: Partial<Record<ColumnType, string>> = { date: 'DATE', timestamp: 'DATETIME', timestamptz: 'TIMESTAMP', bigint: 'INT64' };

/** BigQuery standard SQL: named parameters, backquoted identifiers, code-point string order. */
export const bigqueryDialect: SqlDialect = {
  name: 'bigquery',
  placeholder: (index) => `@p${index}`,
  quoteIdentifier: (name) => `\`${name.replaceAll('`', '\\`')}\``,
  castTypeFor: (type) => BIGQUERY_CASTS[type] ?? null,
};

export const SQL_DIALECTS = {
  duckdb: duckdbDialect,
  postgres: postgresDialect,
  redshift: redshiftDialect,
  mariadb: mariadbDialect,
  bigquery: bigqueryDialect,
} as const;
export type DialectName = keyof typeof SQL_DIALECTS;

export interface CompiledSql {
  readonly sql: string;
  readonly params: unknown[];
}

/** A quoted identifier, after checking it is a plain name (so quoting is belt and braces, not the only guard). */
export function quoteField(dialect: SqlDialect, name: string): string {
  if (!FIELD_NAME_PATTERN.test(name)) throw new ValidationError(`Invalid field name '${name}'.`, 'value_error');
  return dialect.quoteIdentifier(name);
}

/**
 * A WHERE clause (without the keyword) matching rows that pass every filter, `TRUE` for none. Throws
 * `ValidationError` when a filter does not fit the column types, so unchecked input can never reach SQL.
 * `firstParamIndex` lets a caller put its own parameters before these.
 *
 * @example compileFilters([{ field_name: 'country', relation: 'excludes', value: ['US'] }], { country: 'string' }, 'duckdb')
 * // { sql: '("country" IS NULL OR "country" NOT IN ($1))', params: ['US'] }
 */
export function compileFilters(
  filters: readonly Filter[],
  columnTypes: Readonly<Record<string, ColumnType>>,
  dialectName: DialectName | SqlDialect,
  options: { firstParamIndex?: number } = {},
): CompiledSql {
  const issues = validateFilters(filters, columnTypes);
  if (issues.length > 0) throw new ValidationError(issues);
  const dialect = typeof dialectName === 'string' ? SQL_DIALECTS[dialectName] : dialectName;
  const params: unknown[] = [];
  const firstIndex = options.firstParamIndex ?? 1;

  const clauses = filters.map((filter) => {
    const type = columnTypes[filter.field_name] as ColumnType;
    const quoted = quoteField(dialect, filter.field_name);
    const asString = (purpose: 'equality' | 'order') =>
      type === 'string' && dialect.stringColumn ? dialect.stringColumn(quoted, purpose) : quoted;
    const bind = (value: string | number | boolean): string => {
      const canonical = bindableFilterValue(type, value);
      params.push(dialect.bindValue ? dialect.bindValue(type, canonical) : canonical);
      const placeholder = dialect.placeholder(firstIndex + params.length - 1);
      const cast = dialect.castTypeFor(type);
      return cast ? `CAST(${placeholder} AS ${cast})` : placeholder;
    };
    return `(${type === 'boolean' ? booleanClause(quoted, filter) : valueClause({ raw: quoted, equality: asString('equality'), order: asString('order') }, filter, bind)})`;
  });
  return { sql: clauses.length === 0 ? 'TRUE' : clauses.join(' AND '), params };
}

function nonNull(values: readonly FilterValue[]): (string | number | boolean)[] {
  return values.filter((v): v is string | number | boolean => v !== null);
}

/** One column in its three uses: NULL tests, equality and ordering (they differ only for wrapped strings). */
interface ColumnForms {
  readonly raw: string;
  readonly equality: string;
  readonly order: string;
}

function valueClause(forms: ColumnForms, filter: Filter, bind: (value: string | number | boolean) => string): string {
  const values = filter.value;
  const hasNull = values.includes(null);
  const column = forms.raw;
  if (filter.relation === 'between') {
    const [lo = null, hi = null, orNull = undefined] = values;
    const ordered = forms.order;
    const range =
      lo === null ? `${ordered} <= ${bind(hi as string | number)}`
      : hi === null ? `${ordered} >= ${bind(lo)}`
      : `${ordered} BETWEEN ${bind(lo)} AND ${bind(hi)}`;
    return orNull === null ? `(${range}) OR ${column} IS NULL` : range;
  }
  const equal = forms.equality;
  const listed = nonNull(values);
  const list = listed.map(bind).join(', ');
  if (filter.relation === 'includes') {
    if (listed.length === 0) return `${column} IS NULL`;
    return hasNull ? `${column} IS NULL OR ${equal} IN (${list})` : `${equal} IN (${list})`;
  }
  if (listed.length === 0) return `${column} IS NOT NULL`;
  // NOT IN on a NULL row is unknown, so without the explicit IS NULL the rows with NULL would vanish.
  return hasNull ? `${column} IS NOT NULL AND ${equal} NOT IN (${list})` : `${column} IS NULL OR ${equal} NOT IN (${list})`;
}

function booleanClause(column: string, filter: Filter): string {
  const literal = (v: FilterValue): string => (v === null ? 'NULL' : v ? 'TRUE' : 'FALSE');
  if (filter.relation === 'includes') return filter.value.map((v) => `${column} IS ${literal(v)}`).join(' OR ');
  // IS NOT TRUE is true for NULL, which gives "excludes keeps NULLs unless listed" for free.
  return filter.value.map((v) => `${column} IS NOT ${literal(v)}`).join(' AND ');
}
