/**
 * What differs between engines in the statements around the filters: random and seeded order, casting a
 * metric to a float, and matching a batch of ids. One object per engine, pinned by SQL-generation tests.
 */
import {
  bigqueryDialect,
  duckdbDialect,
  mariadbDialect,
  postgresDialect,
  redshiftDialect,
  type SqlDialect,
} from './filter-sql.ts';
import type { ColumnType } from './warehouse.ts';

export interface CompiledIds {
  readonly sql: string;
  readonly params: unknown[];
}

export interface QueryDialect extends SqlDialect {
  /** An ORDER BY expression giving a fresh random order. */
  randomOrder(): string;
  /** An ORDER BY expression that depends only on the seed parameter and the key columns' values. */
  seededOrder(seedPlaceholder: string, keys: readonly string[]): string;
  /** `expr` as a double (booleans as 0/1), for AVG and STDDEV_POP. */
  toFloat(expr: string, type: ColumnType): string;
  /** A predicate matching `column` against the ids (already parsed for the column's type). */
  idPredicate(column: string, type: ColumnType, firstIndex: number, ids: readonly (string | number)[]): CompiledIds;
}

/** `column IN (p1, p2, ...)`, each parameter cast like a filter value: works everywhere, one parameter per id. */
function inListIds(dialect: SqlDialect): QueryDialect['idPredicate'] {
  return (column, type, firstIndex, ids) => {
    const cast = dialect.castTypeFor(type);
    const placeholders = ids.map((_, i) => {
      const p = dialect.placeholder(firstIndex + i);
      return cast ? `CAST(${p} AS ${cast})` : p;
    });
    return { sql: `${column} IN (${placeholders.join(', ')})`, params: [...ids] };
  };
}

/**
 * DuckDB: one LIST parameter of id strings, cast to the column's type inside the statement. Binding ten
 * thousand scalars per statement made a million-id fetch take 10–30 s (the binder and the IN list dominate);
 * a list cast once is about 1.4 s, close to the engine's own export. The engine binds a JS array as
 * `LIST(VARCHAR)` (`duckdb.ts`).
 */
const DUCKDB_LIST_TYPES: Partial<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  uuid: 'UUID',
  integer: 'BIGINT',
  bigint: 'HUGEINT',
  float: 'DOUBLE',
  decimal: 'DOUBLE',
};

const POSTGRES_ARRAY_TYPES: Partial<Record<ColumnType, string>> = {
  string: 'TEXT',
  uuid: 'UUID',
  integer: 'BIGINT',
  bigint: 'BIGINT',
  float: 'DOUBLE PRECISION',
  decimal: 'NUMERIC',
};

export const duckdbQueryDialect: QueryDialect = {
  ...duckdbDialect,
  randomOrder: () => 'random()',
  // The seed is hashed inside one string with the row's hash: hash(seed, key) only combines two hashes,
  // which would give nearly the same order for every seed.
  seededOrder: (seed, keys) => `hash(CAST(${seed} AS VARCHAR) || ':' || CAST(hash(${keys.join(', ')}) AS VARCHAR))`,
  toFloat: (expr) => `CAST(${expr} AS DOUBLE)`,
  idPredicate: (column, type, firstIndex, ids) => {
    const element = DUCKDB_LIST_TYPES[type];
    const target = element ? column : `CAST(${column} AS VARCHAR)`;
    return { sql: `${target} = ANY(CAST($${firstIndex} AS ${element ?? 'VARCHAR'}[]))`, params: [ids.map(String)] };
  },
};

export const postgresQueryDialect: QueryDialect = {
  ...postgresDialect,
  randomOrder: () => 'random()',
  seededOrder: (seed, keys) => `md5(CAST(${seed} AS TEXT) || ':' || ${keys.map((k) => `coalesce(CAST(${k} AS TEXT), '')`).join(` || ':' || `)})`,
  toFloat: (expr, type) => (type === 'boolean' ? `CAST(CAST(${expr} AS INTEGER) AS DOUBLE PRECISION)` : `CAST(${expr} AS DOUBLE PRECISION)`),
  // One array parameter instead of ten thousand: the statement text and the parse stay small.
  idPredicate: (column, type, firstIndex, ids) => {
    const arrayType = POSTGRES_ARRAY_TYPES[type] ?? 'TEXT';
    const target = POSTGRES_ARRAY_TYPES[type] ? column : `CAST(${column} AS TEXT)`;
    return { sql: `${target} = ANY(CAST($${firstIndex} AS ${arrayType}[]))`, params: [ids.map(String)] };
  },
};

export const redshiftQueryDialect: QueryDialect = {
  ...redshiftDialect,
  randomOrder: () => 'random()',
  seededOrder: postgresQueryDialect.seededOrder,
  toFloat: postgresQueryDialect.toFloat,
  // Redshift has no array parameters.
  idPredicate: inListIds(redshiftDialect),
};

export function mysqlQueryDialect(base: SqlDialect = mariadbDialect): QueryDialect {
  return {
    ...base,
    randomOrder: () => 'RAND()',
    seededOrder: (seed, keys) => `MD5(CONCAT(${seed}, ':', ${keys.map((k) => `COALESCE(CAST(${k} AS CHAR), '')`).join(", ':', ")}))`,
    toFloat: (expr) => `CAST(${expr} AS DOUBLE)`,
    idPredicate: inListIds(base),
  };
}
export const mariadbQueryDialect = mysqlQueryDialect();

const BIGQUERY_ID_CASTS: Partial<Record<ColumnType, string>> = { integer: 'INT64', bigint: 'INT64', float: 'FLOAT64', decimal: 'NUMERIC' };

export const bigqueryQueryDialect: QueryDialect = {
  ...bigqueryDialect,
  randomOrder: () => 'RAND()',
  seededOrder: (seed, keys) =>
    `FARM_FINGERPRINT(CONCAT(CAST(${seed} AS STRING), ':', ${keys.map((k) => `COALESCE(CAST(${k} AS STRING), '')`).join(", ':', ")}))`,
  toFloat: (expr, type) => (type === 'boolean' ? `CAST(CAST(${expr} AS INT64) AS FLOAT64)` : `CAST(${expr} AS FLOAT64)`),
  idPredicate: (column, type, firstIndex, ids) => {
    const cast = BIGQUERY_ID_CASTS[type];
    const element = cast ? `CAST(x AS ${cast})` : 'x';
    return { sql: `${column} IN (SELECT ${element} FROM UNNEST(@p${firstIndex}) AS x)`, params: [ids.map(String)] };
  },
};
