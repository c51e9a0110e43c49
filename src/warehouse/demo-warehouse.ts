/**
 * The bundled demo warehouse: a DuckDB file of 20,000 synthetic participants that `equipoise serve` creates
 * on first start, so a fresh install can design, assign and analyse an experiment without any warehouse.
 * The data is a pure function of the row number (hash-based), so every install gets the same file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnType } from './warehouse.ts';

export const DEMO_WAREHOUSE_FILE = 'demo-warehouse.duckdb';
export const DEMO_TABLE = 'participants';
export const DEMO_PARTICIPANT_COUNT = 20_000;

const CREATE_TABLE_SQL = `
CREATE TABLE participants (
  participant_id VARCHAR PRIMARY KEY,
  country VARCHAR,
  gender VARCHAR,
  channel VARCHAR NOT NULL,
  age INTEGER,
  income DOUBLE,
  sessions_last_30d INTEGER NOT NULL,
  signup_date DATE NOT NULL,
  is_active BOOLEAN NOT NULL,
  completed_course BOOLEAN NOT NULL,
  weekly_minutes DOUBLE NOT NULL
)`;

// u(i, 'name') is a uniform draw in [0, 1) from 53 bits of a hash: deterministic whatever the thread
// count, which setseed() + random() is not once DuckDB parallelizes the scan. The row and the draw's name
// are hashed as one string because hash(i, k) merely combines two hashes, and draws made that way for
// the same row come out correlated (country would decide the outcome).
const POPULATE_SQL = `
CREATE TEMP MACRO u(i, k) AS CAST(hash(k || ':' || CAST(i AS VARCHAR)) >> 11 AS DOUBLE) / 9007199254740992.0;
CREATE TEMP MACRO gauss(i, k) AS sqrt(-2 * ln(1 - u(i, k || '.a'))) * cos(2 * pi() * u(i, k || '.b'));
INSERT INTO participants
WITH drawn AS (
  SELECT
    i,
    CASE WHEN u(i, 'country.null') < 0.02 THEN NULL
         WHEN u(i, 'country') < 0.30 THEN 'KE' WHEN u(i, 'country') < 0.55 THEN 'NG'
         WHEN u(i, 'country') < 0.75 THEN 'IN' WHEN u(i, 'country') < 0.90 THEN 'BR' ELSE 'US' END AS country,
    CASE WHEN u(i, 'gender.null') < 0.04 THEN NULL
         WHEN u(i, 'gender') < 0.50 THEN 'female' WHEN u(i, 'gender') < 0.95 THEN 'male' ELSE 'nonbinary' END AS gender,
    CASE WHEN u(i, 'channel') < 0.50 THEN 'whatsapp' WHEN u(i, 'channel') < 0.80 THEN 'sms' ELSE 'app' END AS channel,
    CASE WHEN u(i, 'age.null') < 0.03 THEN NULL
         ELSE 16 + CAST(floor(pow(u(i, 'age'), 1.6) * 65) AS INTEGER) END AS age,
    CASE WHEN u(i, 'income.null') < 0.05 THEN NULL
         ELSE round(exp(7.4 + 0.8 * gauss(i, 'income')), 2) END AS income,
    DATE '2023-01-01' + CAST(floor(u(i, 'signup') * 730) AS INTEGER) AS signup_date,
    u(i, 'active') < 0.8 AS is_active,
    gauss(i, 'sessions') AS z_sessions,
    gauss(i, 'minutes') AS z_minutes,
    u(i, 'completed') AS u_completed
  FROM range(1, ${DEMO_PARTICIPANT_COUNT + 1}) AS r(i)
), engaged AS (
  SELECT *,
    -- Poisson-ish: a normal approximation around a rate that depends on channel and activity, floored at 0.
    CAST(greatest(0, round(rate + sqrt(rate) * z_sessions)) AS INTEGER) AS sessions_last_30d
  FROM (
    SELECT *,
      (CASE channel WHEN 'app' THEN 12 WHEN 'whatsapp' THEN 8 ELSE 4 END) * (CASE WHEN is_active THEN 1 ELSE 0.3 END) AS rate
    FROM drawn
  )
), outcomes AS (
  SELECT *,
    u_completed < 1 / (1 + exp(-(-0.8 + 0.02 * (coalesce(age, 35) - 35)
      + (CASE channel WHEN 'app' THEN 0.6 WHEN 'whatsapp' THEN 0.3 ELSE -0.2 END)
      + 0.05 * sessions_last_30d))) AS completed_course
  FROM engaged
)
SELECT
  'p' || lpad(CAST(i AS VARCHAR), 6, '0'),
  country, gender, channel, age, income, sessions_last_30d, signup_date, is_active, completed_course,
  round(greatest(0, 20 + 3 * sessions_last_30d + (CASE WHEN completed_course THEN 25 ELSE 0 END) + 15 * z_minutes), 1)
FROM outcomes
ORDER BY i;
`;

interface DemoField {
  readonly field_name: string;
  readonly data_type: ColumnType;
  readonly description: string;
  readonly is_unique_id: boolean;
  readonly is_strata: boolean;
  readonly is_filter: boolean;
  readonly is_metric: boolean;
}

function field(
  field_name: string,
  data_type: ColumnType,
  description: string,
  roles: { id?: boolean; strata?: boolean; filter?: boolean; metric?: boolean },
): DemoField {
  return {
    field_name,
    data_type,
    description,
    is_unique_id: roles.id ?? false,
    is_strata: roles.strata ?? false,
    is_filter: roles.filter ?? false,
    is_metric: roles.metric ?? false,
  };
}

/** The participant type the demo datasource is created with; descriptions double as column comments. */
export const DEMO_PARTICIPANT_TYPE: {
  readonly name: string;
  readonly table_name: string;
  readonly fields: readonly DemoField[];
} = {
  name: 'Demo participants',
  table_name: DEMO_TABLE,
  fields: [
    field('participant_id', 'string', 'Unique participant identifier, e.g. p000001.', { id: true }),
    field('country', 'string', 'ISO country code (KE, NG, IN, BR, US); about 2% unknown.', { strata: true, filter: true }),
    field('gender', 'string', 'Self-reported gender (female, male, nonbinary); about 4% unknown.', { strata: true, filter: true }),
    field('channel', 'string', 'How the participant takes the course: whatsapp, sms or app.', { strata: true, filter: true }),
    field('age', 'integer', 'Age in years, 16 to 80; about 3% unknown.', { strata: true, filter: true }),
    field('income', 'float', 'Monthly household income in USD; about 5% unknown.', { filter: true }),
    field('sessions_last_30d', 'integer', 'Learning sessions in the last 30 days.', { strata: true, filter: true, metric: true }),
    field('signup_date', 'date', 'Day the participant signed up (2023-2024).', { filter: true }),
    field('is_active', 'boolean', 'Active in the last 30 days.', { strata: true, filter: true }),
    field('completed_course', 'boolean', 'Outcome: completed the course.', { metric: true }),
    field('weekly_minutes', 'float', 'Outcome: average minutes of learning per week.', { metric: true }),
  ],
};

function commentSql(): string {
  const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
  return DEMO_PARTICIPANT_TYPE.fields
    .map((f) => `COMMENT ON COLUMN ${DEMO_TABLE}.${f.field_name} IS ${quote(f.description)};`)
    .join('\n');
}

/**
 * Creates `<dataDir>/demo-warehouse.duckdb` unless it exists. It is written under a temporary name and
 * renamed into place, so a crash mid-way never leaves a half-written file that later looks complete.
 *
 * @example const { path } = await ensureDemoWarehouse('.data'); // then openWarehouse({ driver: 'duckdb', path }, ...)
 */
export async function ensureDemoWarehouse(
  dataDir: string,
): Promise<{ path: string; table: string; created: boolean }> {
  const finalPath = path.resolve(dataDir, DEMO_WAREHOUSE_FILE);
  if (fs.existsSync(finalPath)) return { path: finalPath, table: DEMO_TABLE, created: false };
  fs.mkdirSync(dataDir, { recursive: true });
  const tempPath = `${finalPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const instance = await DuckDBInstance.create(tempPath, { enable_external_access: 'false' });
    try {
      const connection = await instance.connect();
      try {
        await connection.run(CREATE_TABLE_SQL);
        await connection.run(POPULATE_SQL);
        await connection.run(commentSql());
        // Fold the WAL into the main file, so the rename moves one complete file.
        await connection.run('CHECKPOINT');
      } finally {
        connection.closeSync();
      }
    } finally {
      instance.closeSync();
    }
    if (fs.existsSync(finalPath)) return { path: finalPath, table: DEMO_TABLE, created: false };
    // Another process racing us writes the same bytes (the data is deterministic), so the last rename winning is harmless.
    fs.renameSync(tempPath, finalPath);
    return { path: finalPath, table: DEMO_TABLE, created: true };
  } finally {
    fs.rmSync(tempPath, { force: true });
    fs.rmSync(`${tempPath}.wal`, { force: true });
  }
}
