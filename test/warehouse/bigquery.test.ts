/**
 * The BigQuery engine without BigQuery. Two halves:
 * - SQL generation: every shared statement built with the BigQuery dialect, pinned as text plus
 *   parameters (like the dialect tests of the other engines), and the value/type/parameter helpers;
 * - client wiring: the real `@google-cloud/bigquery` client against a fake of the REST API served on
 *   127.0.0.1 by this file (jobs.insert, getQueryResults, jobs.cancel, datasets.get, tables.list,
 *   tables.get and the OAuth token endpoint). A throwaway RSA key signs the token request, and the fake
 *   verifies it, so the explicit service account is what authenticates every call.
 * Neither half proves BigQuery's own semantics; docs/warehouses.md (BigQuery) lists what stays untested.
 */
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageNotFoundError, ValidationError, WarehouseError } from '../../src/domain/errors.ts';
import { ambientGoogleProblem, hardenGoogleEnvironment } from '../../src/warehouse/bigquery-ambient.ts';
import { parseServiceAccount } from '../../src/warehouse/bigquery-credentials.ts';
import { mapBigQueryError } from '../../src/warehouse/bigquery-errors.ts';
import { namedBigQueryParams } from '../../src/warehouse/bigquery-params.ts';
import { bigQueryRow, bigQueryTimestamp, bigQueryValue, normalizeBigQueryType } from '../../src/warehouse/bigquery-values.ts';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { bigqueryQueryDialect } from '../../src/warehouse/query-dialects.ts';
import { SqlWarehouse, type Statement } from '../../src/warehouse/sql-warehouse.ts';
import { DEFAULT_LIMITS, type Filter, type TableInfo, type WarehouseLimits, type WarehouseRow } from '../../src/warehouse/warehouse.ts';

const PEOPLE_INFO: TableInfo = {
  name: 'people',
  primaryKey: ['id'],
  columns: [
    { name: 'active', type: 'boolean', nativeType: 'BOOL', description: null },
    { name: 'country', type: 'string', nativeType: 'STRING', description: null },
    { name: 'household', type: 'bigint', nativeType: 'INT64', description: null },
    { name: 'id', type: 'bigint', nativeType: 'INT64', description: null },
    { name: 'joined', type: 'date', nativeType: 'DATE', description: null },
    { name: 'score', type: 'float', nativeType: 'FLOAT64', description: null },
    { name: 'seen', type: 'timestamp', nativeType: 'DATETIME', description: null },
    { name: 'seen_tz', type: 'timestamptz', nativeType: 'TIMESTAMP', description: null },
    { name: 'spend', type: 'decimal', nativeType: 'NUMERIC', description: null },
  ],
};

/** The shared statements with the BigQuery dialect, recorded instead of run. */
class RecordingWarehouse extends SqlWarehouse {
  readonly statements: Statement[] = [];
  constructor() {
    super(bigqueryQueryDialect, DEFAULT_LIMITS);
  }
  async listTables(): Promise<string[]> {
    return ['people'];
  }
  async describeTable(): Promise<TableInfo> {
    return PEOPLE_INFO;
  }
  async close(): Promise<void> {}
  protected async run(statement: Statement): Promise<WarehouseRow[]> {
    this.statements.push(statement);
    return [];
  }
}

async function recorded(op: (w: RecordingWarehouse) => Promise<unknown>): Promise<Statement[]> {
  const w = new RecordingWarehouse();
  await op(w);
  return w.statements;
}

describe('BigQuery SQL generation', () => {
  it('count: filters with backquoted fields, @p parameters, typed casts and IS literals for booleans', async () => {
    const filters: Filter[] = [
      { field_name: 'country', relation: 'excludes', value: ['US', null] },
      { field_name: 'joined', relation: 'between', value: ['2024-01-01', '2024-06-30T12:00:00Z', null] },
      { field_name: 'active', relation: 'includes', value: [true] },
    ];
    expect(await recorded((w) => w.count({ table: 'people', filters }))).toEqual([
      {
        sql:
          'SELECT COUNT(*) AS n FROM `people` WHERE (`country` IS NOT NULL AND `country` NOT IN (@p1))' +
          ' AND ((`joined` BETWEEN CAST(@p2 AS DATE) AND CAST(@p3 AS DATE)) OR `joined` IS NULL) AND (`active` IS TRUE)',
        params: ['US', '2024-01-01', '2024-06-30'],
      },
    ]);
  });

  it('sample: ORDER BY RAND() with the limit written as a validated integer', async () => {
    expect(await recorded((w) => w.sample({ table: 'people', columns: ['id', 'score'], filters: [], limit: 10 }))).toEqual([
      { sql: 'SELECT `id`, `score` FROM `people` WHERE TRUE ORDER BY RAND() LIMIT 10', params: [] },
    ]);
  });

  it('seeded sample: FARM_FINGERPRINT of seed and primary key, the seed bound as a string', async () => {
    const statements = await recorded((w) =>
      w.sample({ table: 'people', columns: ['id', 'score'], filters: [{ field_name: 'seen_tz', relation: 'between', value: ['2024-03-01T00:00:00Z', null] }], limit: 10, seed: 42 }),
    );
    expect(statements).toEqual([
      {
        sql:
          'SELECT `id`, `score` FROM `people` WHERE (`seen_tz` >= CAST(@p1 AS TIMESTAMP))' +
          " ORDER BY FARM_FINGERPRINT(CONCAT(CAST(@p2 AS STRING), ':', COALESCE(CAST(`id` AS STRING), ''))), `id`, `score` LIMIT 10",
        params: ['2024-03-01 00:00:00+00:00', '42'],
      },
    ]);
  });

  it('seeded cluster sample: clusters drawn in a subquery, filters bound twice, capped at max_rows + 1', async () => {
    const statements = await recorded((w) =>
      w.sample({
        table: 'people',
        columns: ['id'],
        filters: [{ field_name: 'household', relation: 'includes', value: ['9007199254740993', 2] }],
        limit: 0,
        cluster: { field: 'household', clusters: 3 },
        seed: 7,
      }),
    );
    expect(statements).toEqual([
      {
        sql:
          'SELECT e.`id` FROM `people` e JOIN (SELECT `household` AS `eq_drawn_cluster` FROM `people`' +
          ' WHERE ((`household` IN (CAST(@p1 AS INT64), CAST(@p2 AS INT64)))) AND `household` IS NOT NULL GROUP BY `household`' +
          " ORDER BY FARM_FINGERPRINT(CONCAT(CAST(@p3 AS STRING), ':', COALESCE(CAST(`household` AS STRING), ''))), `household` LIMIT 3)" +
          ' c ON e.`household` = c.`eq_drawn_cluster` WHERE (`household` IN (CAST(@p4 AS INT64), CAST(@p5 AS INT64))) LIMIT 5000001',
        params: ['9007199254740993', '2', '7', '9007199254740993', '2'],
      },
    ]);
  });

  it('baseline stats: FLOAT64 casts, booleans through INT64, DATETIME filter values', async () => {
    const statements = await recorded((w) =>
      w.baselineStats({ table: 'people', filters: [{ field_name: 'seen', relation: 'includes', value: ['2024-02-01T00:00:01.25'] }], metrics: ['score', 'active'] }),
    );
    expect(statements).toEqual([
      {
        sql:
          'SELECT COUNT(*) AS n, COUNT(`score`) AS nn_0, AVG(CAST(`score` AS FLOAT64)) AS mean_0, STDDEV_POP(CAST(`score` AS FLOAT64)) AS sd_0,' +
          ' COUNT(`active`) AS nn_1, AVG(CAST(CAST(`active` AS INT64) AS FLOAT64)) AS mean_1, STDDEV_POP(CAST(CAST(`active` AS INT64) AS FLOAT64)) AS sd_1' +
          ' FROM `people` WHERE (`seen` IN (CAST(@p1 AS DATETIME)))',
        params: ['2024-02-01 00:00:01.25'],
      },
    ]);
  });

  it('ICC inputs: per-cluster sums in FLOAT64', async () => {
    expect(await recorded((w) => w.iccInputs({ table: 'people', filters: [], metric: 'spend', clusterField: 'household' }))).toEqual([
      {
        sql:
          'SELECT COUNT(*) AS k, SUM(cnt) AS n, SUM(cnt * cnt) AS sizes2, SUM(cnt * mean) AS total, SUM(cnt * mean * mean) AS weighted2, SUM(ss) AS within_ss' +
          ' FROM (SELECT CAST(COUNT(*) AS FLOAT64) AS cnt, AVG(CAST(`spend` AS FLOAT64)) AS mean, VAR_POP(CAST(`spend` AS FLOAT64)) * COUNT(*) AS ss' +
          ' FROM `people` WHERE (TRUE) AND `spend` IS NOT NULL AND `household` IS NOT NULL GROUP BY `household`) g',
        params: [],
      },
    ]);
  });

  it('exemplars: distinct strings (BigQuery orders by code point, so no collation wrapper) and date ranges', async () => {
    expect(
      await recorded(async (w) => {
        await w.fieldExemplars('people', 'country');
        await w.fieldExemplars('people', 'joined');
      }),
    ).toEqual([
      { sql: 'SELECT v FROM (SELECT DISTINCT `country` AS v FROM `people` WHERE `country` IS NOT NULL) d ORDER BY v LIMIT 1001', params: [] },
      { sql: 'SELECT MIN(`joined`) AS lo, MAX(`joined`) AS hi FROM `people`', params: [] },
    ]);
  });

  it('fetch by ids: one ARRAY<STRING> parameter per batch, cast inside UNNEST; unparsable ids skipped', async () => {
    const statements = await recorded(async (w) => {
      for await (const _ of w.fetchByIds({ table: 'people', idField: 'id', columns: ['score'], ids: ['1', 'x', '2', '3'], batchSize: 2 }));
    });
    const sql = 'SELECT `id`, `score` FROM `people` WHERE `id` IN (SELECT CAST(x AS INT64) FROM UNNEST(@p1) AS x)';
    expect(statements).toEqual([
      { sql, params: [['1', '2']] },
      { sql, params: [['3']] },
    ]);
  });

  it('refuses injection through table, field and value before any SQL exists', async () => {
    const w = new RecordingWarehouse();
    await expect(w.count({ table: 'people` WHERE 1=1 --', filters: [] })).rejects.toBeInstanceOf(ValidationError);
    await expect(w.sample({ table: 'people', columns: ['id`, (SELECT 1)'], filters: [], limit: 1 })).rejects.toBeInstanceOf(ValidationError);
    await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'includes', value: ["x') OR TRUE --"] }] });
    expect(w.statements[0]?.sql).not.toContain('OR TRUE');
    expect(w.statements[0]?.params).toEqual(["x') OR TRUE --"]);
  });
});

describe('BigQuery types, values and parameters', () => {
  it('normalizes standard and legacy type names; arrays and the rest are unsupported', () => {
    const cases: [string, string | null, string][] = [
      ['BOOL', null, 'boolean'],
      ['BOOLEAN', null, 'boolean'],
      ['STRING', null, 'string'],
      ['STRING(10)', null, 'string'],
      ['INT64', null, 'bigint'],
      ['INTEGER', 'NULLABLE', 'bigint'],
      ['FLOAT64', null, 'float'],
      ['FLOAT', null, 'float'],
      ['NUMERIC(10, 2)', null, 'decimal'],
      ['BIGNUMERIC', null, 'decimal'],
      ['DATE', null, 'date'],
      ['DATETIME', null, 'timestamp'],
      ['TIMESTAMP', null, 'timestamptz'],
      ['INT64', 'REPEATED', 'unsupported'],
      ['BYTES', null, 'unsupported'],
      ['TIME', null, 'unsupported'],
      ['JSON', null, 'unsupported'],
      ['GEOGRAPHY', null, 'unsupported'],
      ['RECORD', null, 'unsupported'],
      ['INTERVAL', null, 'unsupported'],
    ];
    for (const [type, mode, expected] of cases) expect([type, mode, normalizeBigQueryType(type, mode)]).toEqual([type, mode, expected]);
  });

  it('converts REST cell values exactly: INT64/NUMERIC stay strings, non-finite floats become null', () => {
    expect(bigQueryValue('INT64', '9007199254740993')).toBe('9007199254740993');
    expect(bigQueryValue('NUMERIC', '1.25')).toBe('1.25');
    expect(bigQueryValue('FLOAT', '2.5')).toBe(2.5);
    expect(bigQueryValue('FLOAT64', 'NaN')).toBeNull();
    expect(bigQueryValue('FLOAT64', 'Infinity')).toBeNull();
    expect(bigQueryValue('BOOLEAN', 'false')).toBe(false);
    expect(bigQueryValue('DATE', '2024-01-02')).toBe('2024-01-02');
    expect(bigQueryValue('DATETIME', '2024-02-01T00:00:05.250000')).toBe('2024-02-01T00:00:05.250000');
    expect(bigQueryValue('DATETIME', '2024-02-01T00:00:05')).toBe('2024-02-01T00:00:05');
    expect(bigQueryValue('STRING', null)).toBeNull();
  });

  it('reads TIMESTAMP as int64 microseconds (also before 1970), float seconds or ISO text', () => {
    expect(bigQueryTimestamp('1709294405000000')).toBe('2024-03-01T12:00:05Z');
    expect(bigQueryTimestamp('1709294405250000')).toBe('2024-03-01T12:00:05.250000Z');
    expect(bigQueryTimestamp('-1')).toBe('1969-12-31T23:59:59.999999Z');
    expect(bigQueryTimestamp('1.7092944055E9')).toBe('2024-03-01T12:00:05.500000Z');
    expect(bigQueryTimestamp('2024-03-01 12:00:05.5 UTC')).toBe('2024-03-01T12:00:05.500000Z');
  });

  it('pairs raw rows with their schema; repeated cells become JSON text', () => {
    const fields = [
      { name: 'id', type: 'INTEGER' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
    ];
    expect(bigQueryRow(fields, { f: [{ v: '7' }, { v: [{ v: 'a' }] }] })).toEqual({ id: '7', tags: '[{"v":"a"}]' });
  });

  it('names positional parameters @p1… with explicit types and string values', () => {
    const array = (values: string[]) => ({ parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: values.map((value) => ({ value })) } });
    expect(namedBigQueryParams(['US', 3, 2.5, true, ['1', '2'], []])).toEqual([
      { name: 'p1', parameterType: { type: 'STRING' }, parameterValue: { value: 'US' } },
      { name: 'p2', parameterType: { type: 'INT64' }, parameterValue: { value: '3' } },
      { name: 'p3', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '2.5' } },
      { name: 'p4', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
      { name: 'p5', ...array(['1', '2']) },
      { name: 'p6', ...array([]) },
    ]);
    expect(() => namedBigQueryParams([null])).toThrow(WarehouseError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A fake of the BigQuery REST API and Google's OAuth token endpoint.

const PROJECT = 'equipoise-test';
const DATASET = 'analytics';
const CLIENT_EMAIL = `warehouse-reader@${PROJECT}.iam.gserviceaccount.com`;

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: URLSearchParams;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

interface RestError {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

/** What the fake does with one query job. */
interface JobPlan {
  readonly fields?: readonly { name: string; type: string; mode?: string }[];
  readonly rows?: readonly (readonly unknown[])[];
  /** Rows per getQueryResults page (all in one page by default). */
  readonly pageSize?: number;
  /** getQueryResults answers `jobComplete: false` this many times first (Infinity: never completes). */
  readonly pendingPolls?: number;
  readonly insertError?: RestError;
  readonly resultsError?: RestError;
}

interface FakeJob {
  readonly plan: JobPlan;
  polls: number;
}

interface TableMeta {
  readonly fields: readonly { name: string; type: string; mode?: string; description?: string }[];
  readonly primaryKey?: readonly string[];
}

class FakeBigQuery {
  readonly requests: RecordedRequest[] = [];
  readonly assertions: { raw: string; header: Record<string, unknown>; claims: Record<string, unknown>; verified: boolean }[] = [];
  readonly jobs = new Map<string, FakeJob>();
  readonly issuedTokens = new Set<string>();
  plan: (sql: string) => JobPlan = () => ({ fields: [{ name: 'ok', type: 'INTEGER' }], rows: [['1']] });
  tables: Record<string, TableMeta> = {};
  datasetExists = true;
  tokenError: { status: number; error: string; description: string } | null = null;
  private server!: http.Server;
  url = '';

  constructor(private readonly publicKey: KeyObject) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.assertions.length = 0;
    this.jobs.clear();
    this.plan = () => ({ fields: [{ name: 'ok', type: 'INTEGER' }], rows: [['1']] });
    this.tables = {};
    this.datasetExists = true;
    this.tokenError = null;
  }

  /** The API requests (not the token request) as `METHOD path`. */
  calls(): string[] {
    return this.requests.filter((r) => r.path !== '/token').map((r) => `${r.method} ${r.path}`);
  }

  insertedJobs(): { configuration: { query: Record<string, unknown>; jobTimeoutMs?: string }; jobReference: Record<string, unknown> }[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).map((r) => r.body as never);
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body: unknown = req.headers['content-type']?.includes('json') && raw ? JSON.parse(raw) : raw;
    this.requests.push({ method: req.method ?? '', path: url.pathname, search: url.searchParams, authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const fail = (e: RestError) => send(e.status, { error: { code: e.status, message: e.message, errors: [{ reason: e.reason, message: e.message, domain: 'global' }] } });

    if (url.pathname === '/token') return this.token(new URLSearchParams(raw), send);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.issuedTokens.has(token)) return fail({ status: 401, reason: 'authError', message: 'Request had invalid authentication credentials.' });

    const base = `/bigquery/v2/projects/${PROJECT}`;
    const path = url.pathname;
    if (req.method === 'GET' && path === `${base}/datasets/${DATASET}`) {
      return this.datasetExists
        ? send(200, { datasetReference: { projectId: PROJECT, datasetId: DATASET }, location: 'US' })
        : fail({ status: 404, reason: 'notFound', message: `Not found: Dataset ${PROJECT}:${DATASET}` });
    }
    if (req.method === 'GET' && path === `${base}/datasets/${DATASET}/tables`) {
      if (!this.datasetExists) return fail({ status: 404, reason: 'notFound', message: `Not found: Dataset ${PROJECT}:${DATASET}` });
      // One table per page, so listing must follow nextPageToken.
      const names = Object.keys(this.tables);
      const at = Number(url.searchParams.get('pageToken') ?? '0');
      const page = names.slice(at, at + 1).map((t) => ({ kind: 'bigquery#table', id: `${PROJECT}:${DATASET}.${t}`, tableReference: { projectId: PROJECT, datasetId: DATASET, tableId: t }, type: 'TABLE' }));
      return send(200, { kind: 'bigquery#tableList', tables: page, totalItems: names.length, ...(at + 1 < names.length ? { nextPageToken: String(at + 1) } : {}) });
    }
    const tableMatch = new RegExp(`^${base}/datasets/${DATASET}/tables/([^/]+)$`).exec(path);
    if (req.method === 'GET' && tableMatch) {
      const meta = this.tables[decodeURIComponent(tableMatch[1] ?? '')];
      if (!meta) return fail({ status: 404, reason: 'notFound', message: `Not found: Table ${PROJECT}:${DATASET}.${tableMatch[1]}` });
      return send(200, {
        tableReference: { projectId: PROJECT, datasetId: DATASET, tableId: tableMatch[1] },
        schema: { fields: meta.fields },
        ...(meta.primaryKey ? { tableConstraints: { primaryKey: { columns: meta.primaryKey } } } : {}),
      });
    }
    if (req.method === 'POST' && path === `${base}/jobs`) {
      const job = body as { jobReference: { jobId: string }; configuration: { query: { query: string } } };
      const plan = this.plan(job.configuration.query.query);
      if (plan.insertError) return fail(plan.insertError);
      this.jobs.set(job.jobReference.jobId, { plan, polls: 0 });
      return send(200, { ...job, jobReference: { ...job.jobReference, location: 'US' }, status: { state: 'RUNNING' } });
    }
    const cancelMatch = new RegExp(`^${base}/jobs/([^/]+)/cancel$`).exec(path);
    if (req.method === 'POST' && cancelMatch) return send(200, { job: { jobReference: { jobId: cancelMatch[1] }, status: { state: 'DONE' } } });
    const resultsMatch = new RegExp(`^${base}/queries/([^/]+)$`).exec(path);
    if (req.method === 'GET' && resultsMatch) {
      const job = this.jobs.get(resultsMatch[1] ?? '');
      if (!job) return fail({ status: 404, reason: 'notFound', message: 'Not found: Job' });
      if (job.plan.resultsError) return fail(job.plan.resultsError);
      const jobReference = { projectId: PROJECT, jobId: resultsMatch[1], location: 'US' };
      if (job.polls < (job.plan.pendingPolls ?? 0)) {
        job.polls += 1;
        return send(200, { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false });
      }
      const rows = job.plan.rows ?? [];
      const size = job.plan.pageSize ?? Math.max(rows.length, 1);
      const at = Number(url.searchParams.get('pageToken') ?? '0');
      const page = rows.slice(at, at + size).map((r) => ({ f: r.map((v) => ({ v })) }));
      return send(200, {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference,
        jobComplete: true,
        schema: { fields: job.plan.fields ?? [] },
        totalRows: String(rows.length),
        ...(page.length > 0 ? { rows: page } : {}),
        ...(at + size < rows.length ? { pageToken: String(at + size) } : {}),
      });
    }
    fail({ status: 404, reason: 'notFound', message: `The fake does not serve ${req.method} ${path}` });
  }

  /** Google's token endpoint: verifies the JWT assertion with the test's public key before issuing a token. */
  private token(form: URLSearchParams, send: (status: number, payload: unknown) => void): void {
    const raw = form.get('assertion') ?? '';
    const [h = '', c = '', s = ''] = raw.split('.');
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const verified = verify('RSA-SHA256', Buffer.from(`${h}.${c}`), this.publicKey, Buffer.from(s, 'base64url'));
    this.assertions.push({ raw, header: decode(h), claims: decode(c), verified });
    if (this.tokenError) return send(this.tokenError.status, { error: this.tokenError.error, error_description: this.tokenError.description });
    if (!verified || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }
    const token = `fake-access-token-${this.issuedTokens.size + 1}`;
    this.issuedTokens.add(token);
    send(200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
  }
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function serviceAccountJson(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: PROJECT,
    private_key_id: 'throwaway-key-1',
    private_key: PRIVATE_KEY_PEM,
    client_email: CLIENT_EMAIL,
    ...extra,
  });
}

const PEOPLE_TABLE: TableMeta = {
  fields: [
    { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'Participant id' },
    { name: 'country', type: 'STRING' },
    { name: 'active', type: 'BOOLEAN' },
    { name: 'score', type: 'FLOAT' },
    { name: 'spend', type: 'NUMERIC' },
    { name: 'joined', type: 'DATE' },
    { name: 'seen', type: 'DATETIME' },
    { name: 'seen_tz', type: 'TIMESTAMP' },
    { name: 'tags', type: 'STRING', mode: 'REPEATED' },
    { name: 'blob', type: 'BYTES' },
  ],
  primaryKey: ['id'],
};

describe('BigQuery client wiring (local fake REST endpoint)', () => {
  const fake = new FakeBigQuery(publicKey);
  const opened: BigQueryWarehouse[] = [];
  const open = async (limits?: WarehouseLimits, json = serviceAccountJson()): Promise<BigQueryWarehouse> => {
    const w = await BigQueryWarehouse.open({
      projectId: PROJECT,
      datasetId: DATASET,
      serviceAccountJson: json,
      limits,
      apiEndpoint: fake.url,
      tokenUrl: `${fake.url}/token`,
      // Error cases must answer once, not after the client's backoff.
      maxRetries: 0,
      env: {},
    });
    opened.push(w);
    return w;
  };

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  afterEach(async () => {
    fake.reset();
    await Promise.all(opened.splice(0).map((w) => w.close()));
  });

  it('authenticates as the explicit service account: a signed assertion to the token endpoint, then its bearer token', async () => {
    const w = await open();
    await w.checkConnectivity();
    expect(fake.assertions).toHaveLength(1);
    const [assertion] = fake.assertions;
    expect(assertion?.verified).toBe(true);
    expect(assertion?.header['alg']).toBe('RS256');
    expect(assertion?.claims).toMatchObject({ iss: CLIENT_EMAIL, scope: 'https://www.googleapis.com/auth/bigquery' });
    const api = fake.requests.filter((r) => r.path !== '/token');
    expect(api.length).toBeGreaterThan(0);
    for (const r of api) expect(r.authorization).toBe('Bearer fake-access-token-1');
    // Connectivity: the dataset must exist, then SELECT 1 runs as a query job.
    expect(fake.calls()).toEqual([
      `GET /bigquery/v2/projects/${PROJECT}/datasets/${DATASET}`,
      `POST /bigquery/v2/projects/${PROJECT}/jobs`,
      expect.stringMatching(new RegExp(`^GET /bigquery/v2/projects/${PROJECT}/queries/[0-9a-f-]+$`)),
    ]);
  });

  it('uses only the key fields: universe_domain and token_uri in the key file change nothing', async () => {
    const w = await open(undefined, serviceAccountJson({ universe_domain: 'evil.example', token_uri: 'http://169.254.169.254/token' }));
    await w.count({ table: 'people', filters: [] }).catch(() => undefined);
    // Had universe_domain been honoured, the client would have signed its own JWT instead of asking the token endpoint.
    expect(fake.assertions).toHaveLength(1);
    expect(fake.requests.every((r) => r.path === '/token' || r.path.startsWith('/bigquery/v2/'))).toBe(true);
  });

  it('sends our SQL and named, typed parameters in a query job with jobTimeoutMs and the default dataset', async () => {
    fake.tables = { people: PEOPLE_TABLE };
    fake.plan = () => ({ fields: [{ name: 'n', type: 'INTEGER' }], rows: [['42']] });
    const w = await open({ statementTimeoutMs: 12_345, maxRows: 100 });
    const n = await w.count({
      table: 'people',
      filters: [
        { field_name: 'country', relation: 'includes', value: ['FR', null] },
        { field_name: 'score', relation: 'between', value: [1.5, 10] },
        { field_name: 'id', relation: 'excludes', value: ['9007199254740993'] },
      ],
    });
    expect(n).toBe(42);
    const [job] = fake.insertedJobs();
    expect(job?.configuration.jobTimeoutMs).toBe('12345');
    expect(job?.jobReference).toMatchObject({ projectId: PROJECT });
    expect(job?.configuration.query).toEqual({
      query:
        'SELECT COUNT(*) AS n FROM `people` WHERE (`country` IS NULL OR `country` IN (@p1)) AND (`score` BETWEEN @p2 AND @p3)' +
        ' AND (`id` IS NULL OR `id` NOT IN (CAST(@p4 AS INT64)))',
      useLegacySql: false,
      defaultDataset: { projectId: PROJECT, datasetId: DATASET },
      parameterMode: 'NAMED',
      queryParameters: [
        { name: 'p1', parameterType: { type: 'STRING' }, parameterValue: { value: 'FR' } },
        { name: 'p2', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '1.5' } },
        { name: 'p3', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } },
        { name: 'p4', parameterType: { type: 'STRING' }, parameterValue: { value: '9007199254740993' } },
      ],
    });
    // Describing the table went through tables.get, not a query job.
    expect(fake.calls()[0]).toBe(`GET /bigquery/v2/projects/${PROJECT}/datasets/${DATASET}/tables/people`);
  });

  it('sends id batches as ARRAY<STRING> parameters', async () => {
    fake.tables = { people: PEOPLE_TABLE };
    fake.plan = () => ({ fields: [{ name: 'id', type: 'INTEGER' }, { name: 'score', type: 'FLOAT' }], rows: [['1', '0.5']] });
    const w = await open();
    const batches: WarehouseRow[][] = [];
    for await (const batch of w.fetchByIds({ table: 'people', idField: 'id', columns: ['score'], ids: ['1', '2'] })) batches.push(batch);
    expect(batches).toEqual([[{ id: '1', score: 0.5 }]]);
    expect(fake.insertedJobs()[0]?.configuration.query['queryParameters']).toEqual([
      { name: 'p1', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [{ value: '1' }, { value: '2' }] } },
    ]);
  });

  it('maps result rows through our normalization, polling while the job runs and following page tokens', async () => {
    fake.tables = { people: PEOPLE_TABLE };
    fake.plan = () => ({
      fields: [
        { name: 'id', type: 'INTEGER' },
        { name: 'active', type: 'BOOLEAN' },
        { name: 'score', type: 'FLOAT' },
        { name: 'spend', type: 'NUMERIC' },
        { name: 'joined', type: 'DATE' },
        { name: 'seen', type: 'DATETIME' },
        { name: 'seen_tz', type: 'TIMESTAMP' },
        { name: 'country', type: 'STRING' },
      ],
      rows: [
        ['9007199254740993', 'true', '1.5', '12.50', '2024-01-02', '2024-02-01T00:00:05.250000', '1709294405000000', 'FR '],
        ['2', 'false', 'NaN', '0', '2024-01-03', '2024-02-01T00:00:06', '1709294405250000', null],
        ['3', null, null, null, null, null, null, 'us'],
      ],
      pageSize: 2,
      pendingPolls: 1,
    });
    const w = await open();
    const rows = await w.sample({ table: 'people', columns: ['id', 'active', 'score', 'spend', 'joined', 'seen', 'seen_tz', 'country'], filters: [], limit: 3 });
    expect(rows).toEqual([
      { id: '9007199254740993', active: true, score: 1.5, spend: '12.50', joined: '2024-01-02', seen: '2024-02-01T00:00:05.250000', seen_tz: '2024-03-01T12:00:05Z', country: 'FR ' },
      { id: '2', active: false, score: null, spend: '0', joined: '2024-01-03', seen: '2024-02-01T00:00:06', seen_tz: '2024-03-01T12:00:05.250000Z', country: null },
      { id: '3', active: null, score: null, spend: null, joined: null, seen: null, seen_tz: null, country: 'us' },
    ]);
    const results = fake.requests.filter((r) => r.path.includes('/queries/'));
    // One "not complete" poll, then two pages.
    expect(results.map((r) => r.search.get('pageToken'))).toEqual([null, null, '2']);
    // TIMESTAMPs are asked for as int64 microseconds, so no precision is lost in a float.
    for (const r of results) expect(r.search.get('formatOptions.useInt64Timestamp')).toBe('true');
  });

  it('lists tables through tables.list, following nextPageToken, sorted', async () => {
    fake.tables = { visits: PEOPLE_TABLE, people: PEOPLE_TABLE, accounts: PEOPLE_TABLE };
    const w = await open();
    expect(await w.listTables()).toEqual(['accounts', 'people', 'visits']);
    expect(fake.calls().filter((c) => c.endsWith('/tables'))).toHaveLength(3);
  });

  it('describes a table through tables.get: normalized types, arrays and BYTES unsupported, primary key, descriptions', async () => {
    fake.tables = { people: PEOPLE_TABLE };
    const w = await open();
    const info = await w.describeTable('people');
    expect(info.primaryKey).toEqual(['id']);
    expect(info.columns).toEqual([
      { name: 'active', type: 'boolean', nativeType: 'BOOL', description: null },
      { name: 'blob', type: 'unsupported', nativeType: 'BYTES', description: null },
      { name: 'country', type: 'string', nativeType: 'STRING', description: null },
      { name: 'id', type: 'bigint', nativeType: 'INT64', description: 'Participant id' },
      { name: 'joined', type: 'date', nativeType: 'DATE', description: null },
      { name: 'score', type: 'float', nativeType: 'FLOAT64', description: null },
      { name: 'seen', type: 'timestamp', nativeType: 'DATETIME', description: null },
      { name: 'seen_tz', type: 'timestamptz', nativeType: 'TIMESTAMP', description: null },
      { name: 'spend', type: 'decimal', nativeType: 'NUMERIC', description: null },
      { name: 'tags', type: 'unsupported', nativeType: 'ARRAY<STRING>', description: null },
    ]);
  });

  it('answers 404 naming the known tables for a missing table, and 404 for a missing dataset', async () => {
    fake.tables = { people: PEOPLE_TABLE, visits: PEOPLE_TABLE };
    const w = await open();
    const missing = await w.describeTable('orders').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MessageNotFoundError);
    expect((missing as Error).message).toBe("The table 'orders' does not exist. Known tables: people, visits");
    // A name we could never query is not sent to the API as a path.
    await expect(w.describeTable('../../datasets')).rejects.toThrow("The table '../../datasets' does not exist.");
    expect(fake.calls().some((c) => c.includes('..'))).toBe(false);

    fake.datasetExists = false;
    const gone = await w.checkConnectivity().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MessageNotFoundError);
    expect((gone as MessageNotFoundError).code).toBe('not_found');
    expect((gone as Error).message).toBe(`BigQuery at project ${PROJECT}: Not found: Dataset ${PROJECT}:${DATASET}`);
  });

  it('maps a failed query job to 502 and BigQuery job timeouts to the statement-timeout 504', async () => {
    fake.plan = () => ({ insertError: { status: 400, reason: 'invalidQuery', message: 'Syntax error: Unexpected keyword at [1:8]' } });
    const w = await open({ statementTimeoutMs: 2_000, maxRows: 10 });
    const invalid = await w.checkConnectivity().catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(WarehouseError);
    expect((invalid as WarehouseError).code).toBe('warehouse_unavailable');
    expect((invalid as Error).message).toBe(`BigQuery at project ${PROJECT} failed: Syntax error: Unexpected keyword at [1:8]`);

    fake.plan = () => ({ resultsError: { status: 400, reason: 'timeout', message: 'Job execution was cancelled: Job timed out after 2 sec' } });
    const timeout = await w.checkConnectivity().catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(WarehouseError);
    expect((timeout as WarehouseError).code).toBe('warehouse_timeout');
    expect((timeout as Error).message).toMatch(/statement timeout of 2 s .*"statement_timeout_ms"/);
  });

  it('maps refused credentials (token endpoint or API) to 502 without leaking the key or the assertion', async () => {
    fake.tokenError = { status: 400, error: 'invalid_grant', description: 'Invalid JWT Signature.' };
    const w = await open();
    const refused = await w.listTables().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WarehouseError);
    expect((refused as WarehouseError).code).toBe('warehouse_unavailable');
    expect((refused as Error).message).toBe(`BigQuery at project ${PROJECT} refused the credentials: invalid_grant: Invalid JWT Signature.`);
    const everything = JSON.stringify({ message: (refused as Error).message, cause: (refused as Error).cause, stack: (refused as Error).stack });
    expect(everything).not.toContain('PRIVATE KEY');
    expect(fake.assertions[0]?.raw.length).toBeGreaterThan(100);
    expect(everything).not.toContain(fake.assertions[0]?.raw);

    fake.tokenError = null;
    fake.datasetExists = true;
    fake.plan = () => ({ insertError: { status: 403, reason: 'accessDenied', message: `Access Denied: Project ${PROJECT}: User does not have bigquery.jobs.create permission.` } });
    const denied = await (await open()).checkConnectivity().catch((e: unknown) => e);
    expect((denied as WarehouseError).code).toBe('warehouse_unavailable');
    expect((denied as Error).message).toMatch(/refused the credentials: Access Denied/);
  });

  it('maps an unreachable endpoint to 502 "connection refused"', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const w = await BigQueryWarehouse.open({
      projectId: PROJECT,
      datasetId: DATASET,
      serviceAccountJson: serviceAccountJson(),
      apiEndpoint: `http://127.0.0.1:${port}`,
      tokenUrl: `${fake.url}/token`,
      maxRetries: 0,
      env: {},
    });
    const error = await w.listTables().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('warehouse_unavailable');
    expect((error as Error).message).toBe(`Could not connect to BigQuery at project ${PROJECT}: connection refused.`);
  });

  it('cancels a job that outlives the client deadline and answers 504', { timeout: 20_000 }, async () => {
    fake.plan = () => ({ pendingPolls: Number.POSITIVE_INFINITY });
    const w = await open({ statementTimeoutMs: 1, maxRows: 10 });
    const error = await w.checkConnectivity().catch((e: unknown) => e);
    expect((error as WarehouseError).code).toBe('warehouse_timeout');
    expect(fake.calls().some((c) => c.endsWith('/cancel'))).toBe(true);
    // Polls were spaced, not a busy loop: about 5 s of grace at ≥ 250 ms per poll.
    expect(fake.requests.filter((r) => r.path.includes('/queries/')).length).toBeLessThanOrEqual(25);
  });
});

describe('BigQuery credentials and environment', () => {
  it('keeps only the required key fields and refuses other credential types', () => {
    const parsed = parseServiceAccount(serviceAccountJson({ universe_domain: 'x', token_uri: 'http://internal/', quota_project_id: 'q' }));
    expect(parsed.ok && Object.keys(parsed.account).sort()).toEqual(['client_email', 'private_key', 'private_key_id', 'project_id', 'type']);
    const external = parseServiceAccount(JSON.stringify({ type: 'external_account', credential_source: { file: '/etc/passwd' } }));
    expect(external).toEqual({ ok: false, problem: 'The service-account JSON must have "type": "service_account".' });
    expect(parseServiceAccount('{"type":"service_account"}')).toEqual({
      ok: false,
      problem: 'The service-account JSON lacks "project_id", "private_key_id", "private_key", "client_email".',
    });
    expect(parseServiceAccount('not json')).toEqual({ ok: false, problem: 'The service-account content is not valid JSON.' });
  });

  it('refuses ambient credentials and endpoint overrides, and points the metadata server nowhere', async () => {
    expect(ambientGoogleProblem({ GOOGLE_APPLICATION_CREDENTIALS: '/srv/key.json' })).toBe('GOOGLE_APPLICATION_CREDENTIALS');
    expect(ambientGoogleProblem({ BIGQUERY_EMULATOR_HOST: 'http://10.0.0.5:9050' })).toBe('BIGQUERY_EMULATOR_HOST');
    const env: NodeJS.ProcessEnv = { GCE_METADATA_HOST: 'metadata.google.internal' };
    hardenGoogleEnvironment(env);
    expect(env).toEqual({ GCE_METADATA_HOST: '127.0.0.1', GCE_METADATA_IP: '127.0.0.1' });
    const refused = await BigQueryWarehouse.open({
      projectId: PROJECT,
      datasetId: DATASET,
      serviceAccountJson: serviceAccountJson(),
      env: { GOOGLE_APPLICATION_CREDENTIALS: '/srv/key.json' },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WarehouseError);
    expect((refused as Error).message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS is set/);
    expect((refused as Error).message).not.toContain('/srv/key.json');
  });

  it('refuses an unusable stored key with 502, without quoting it', async () => {
    const error = await BigQueryWarehouse.open({ projectId: PROJECT, datasetId: DATASET, serviceAccountJson: '{"type":"service_account","private_key":"secret"}', env: {} }).catch(
      (e: unknown) => e,
    );
    expect((error as WarehouseError).code).toBe('warehouse_unavailable');
    expect((error as Error).message).not.toContain('secret');
  });

  it('openWarehouse builds the BigQuery engine from a decrypted config without any request', async () => {
    const w = await openWarehouse(
      { driver: 'bigquery', project_id: PROJECT, dataset_id: DATASET, service_account_json: serviceAccountJson(), statement_timeout_ms: 5_000 },
      { dataDir: '/nonexistent' },
    );
    expect(w).toBeInstanceOf(BigQueryWarehouse);
    expect((w as BigQueryWarehouse).limits).toEqual({ statementTimeoutMs: 5_000, maxRows: DEFAULT_LIMITS.maxRows });
    await w.close();
  });

  it('never passes the client error object (with its request and token) on as the cause', () => {
    const apiError = Object.assign(new Error('Not found: Table p:d.t'), {
      code: 404,
      errors: [{ reason: 'notFound', message: 'Not found: Table p:d.t' }],
      response: { request: { headers: { authorization: 'Bearer ya29.secret' } } },
    });
    const mapped = mapBigQueryError(apiError, PROJECT, DEFAULT_LIMITS);
    expect(mapped).toBeInstanceOf(MessageNotFoundError);
    expect(JSON.stringify(mapped, Object.getOwnPropertyNames(mapped))).not.toContain('ya29');
    const timeout = mapBigQueryError(Object.assign(new Error('Job timed out after 60 sec'), { code: 400, errors: [{ reason: 'timeout' }] }), PROJECT, DEFAULT_LIMITS);
    expect(timeout.code).toBe('warehouse_timeout');
    expect(JSON.stringify((timeout as Error).cause, Object.getOwnPropertyNames((timeout as Error).cause))).not.toContain('ya29');
  });
});
