/**
 * The BigQuery engine (`@google-cloud/bigquery`). The client acts only as the datasource's own service
 * account: explicit credentials (the fields of `parseServiceAccount`, nothing else from the key file) and
 * an explicit project, with ambient credentials refused (`bigquery-ambient.ts`). Statements come from
 * `SqlWarehouse` with the BigQuery dialect (`@pN` named parameters, backquoted identifiers checked against
 * the inspected table); table names stay unqualified and resolve in the datasource's dataset through the
 * job's `defaultDataset`. Each statement is a query job with `jobTimeoutMs` set to the datasource's
 * statement timeout. Tables are listed and described through the tables API (tables.list / tables.get),
 * which costs no query job.
 *
 * What the tests here prove, and what they cannot, is in docs/warehouses.md (BigQuery).
 */
import { BigQuery, type Dataset, type Job } from '@google-cloud/bigquery';
import { AppError, MessageNotFoundError, WarehouseError } from '../domain/errors.ts';
import { hardenGoogleEnvironment } from './bigquery-ambient.ts';
import { parseServiceAccount } from './bigquery-credentials.ts';
import { mapBigQueryError } from './bigquery-errors.ts';
import { namedBigQueryParams } from './bigquery-params.ts';
import { bigQueryNativeType, bigQueryRow, normalizeBigQueryType, type BigQueryField } from './bigquery-values.ts';
import { FIELD_NAME_PATTERN } from './filter-values.ts';
import { rowCapExceeded, statementTimedOut } from './limit-errors.ts';
import { bigqueryQueryDialect } from './query-dialects.ts';
import { SqlWarehouse, type Statement } from './sql-warehouse.ts';
import { DEFAULT_LIMITS, type ColumnInfo, type TableInfo, type WarehouseLimits, type WarehouseRow } from './warehouse.ts';

export const BIGQUERY_API_ENDPOINT = 'https://bigquery.googleapis.com';
/** Where Google's auth library posts the signed assertion for an access token (fixed in the library). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Extra time the client keeps polling past the job's own `jobTimeoutMs` before cancelling it itself. */
const CLIENT_TIMEOUT_GRACE_MS = 5_000;
/**
 * getQueryResults waits server-side (about ten seconds) while a job runs; should an answer of "not done"
 * come back sooner, the next poll waits this long so the loop never spins.
 */
const MIN_POLL_INTERVAL_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface BigQueryWarehouseOptions {
  /** The project the query jobs run (and are billed) in, and that holds the dataset. */
  readonly projectId: string;
  readonly datasetId: string;
  /** The service-account key JSON, decrypted by the service for this one use. */
  readonly serviceAccountJson: string;
  readonly limits?: WarehouseLimits | undefined;
  /** Tests only (a local fake of the REST API); never taken from a dsn. */
  readonly apiEndpoint?: string | undefined;
  /** Tests only: where the OAuth token request goes instead of `GOOGLE_TOKEN_URL`; never taken from a dsn. */
  readonly tokenUrl?: string | undefined;
  /** Retries of failed API requests; the client's default (3) unless set (tests use 0). */
  readonly maxRetries?: number | undefined;
  /** The environment checked for ambient credentials; `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** The REST `getQueryResults` answer as far as we read it (`skipParsing` leaves rows raw). */
interface RawQueryResponse {
  readonly jobComplete?: boolean | null;
  readonly schema?: { readonly fields?: readonly BigQueryField[] | null } | null;
  readonly rows?: readonly { readonly f?: readonly { readonly v?: unknown }[] | null }[] | null;
  readonly pageToken?: string | null;
}

/** The tables.get answer as far as we read it. */
interface TableMetadata {
  readonly schema?: { readonly fields?: readonly (BigQueryField & { readonly description?: string | null })[] | null } | null;
  readonly tableConstraints?: { readonly primaryKey?: { readonly columns?: readonly string[] | null } | null } | null;
}

const byName = (a: ColumnInfo, b: ColumnInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class BigQueryWarehouse extends SqlWarehouse {
  private constructor(
    private readonly client: BigQuery,
    private readonly dataset: Dataset,
    private readonly projectId: string,
    limits: WarehouseLimits,
  ) {
    super(bigqueryQueryDialect, limits);
  }

  /**
   * Checks the environment and the key, then builds the client. No request is made until the first call.
   *
   * @example const w = await BigQueryWarehouse.open({ projectId: 'my-project', datasetId: 'analytics', serviceAccountJson });
   */
  static async open(options: BigQueryWarehouseOptions): Promise<BigQueryWarehouse> {
    hardenGoogleEnvironment(options.env ?? process.env);
    const limits = options.limits ?? DEFAULT_LIMITS;
    const parsed = parseServiceAccount(options.serviceAccountJson);
    if (!parsed.ok) {
      throw new WarehouseError('warehouse_unavailable', `BigQuery at project ${options.projectId}: the stored service-account key cannot be used (${parsed.problem}) Re-enter it with PATCH.`);
    }
    const client = new BigQuery({
      projectId: options.projectId,
      // Always explicit, so nothing in the environment can move the endpoint.
      apiEndpoint: options.apiEndpoint ?? BIGQUERY_API_ENDPOINT,
      credentials: parsed.account,
      // The client reads `maxRetries: 0` as "unset" (3), so no retries has to be said as autoRetry: false.
      ...(options.maxRetries === undefined ? {} : options.maxRetries === 0 ? { retryOptions: { autoRetry: false } } : { retryOptions: { maxRetries: options.maxRetries } }),
    });
    if (options.tokenUrl !== undefined) await redirectTokenRequests(client, options.tokenUrl);
    return new BigQueryWarehouse(client, client.dataset(options.datasetId, { projectId: options.projectId }), options.projectId, limits);
  }

  async listTables(): Promise<string[]> {
    try {
      const [tables] = await this.dataset.getTables({ autoPaginate: true });
      return tables.map((t) => String(t.id)).sort();
    } catch (err) {
      throw this.mapped(err);
    }
  }

  async describeTable(table: string): Promise<TableInfo> {
    // Names we could never query are reported as missing rather than sent to the API as a path.
    if (!FIELD_NAME_PATTERN.test(table)) return this.tableMissing(table);
    let metadata: TableMetadata;
    try {
      [metadata] = (await this.dataset.table(table).getMetadata()) as [TableMetadata, unknown];
    } catch (err) {
      const mapped = this.mapped(err);
      if (mapped instanceof MessageNotFoundError) return this.tableMissing(table);
      throw mapped;
    }
    const columns: ColumnInfo[] = (metadata.schema?.fields ?? [])
      .filter((f): f is typeof f & { name: string } => typeof f.name === 'string')
      .map((f) => ({
        name: f.name,
        type: normalizeBigQueryType(f.type ?? '', f.mode),
        nativeType: bigQueryNativeType(f.type ?? 'UNKNOWN', f.mode),
        description: f.description ? f.description : null,
      }))
      .sort(byName);
    // BigQuery's primary keys are declared but not enforced; they still say which column identifies a row.
    return { name: table, columns, primaryKey: [...(metadata.tableConstraints?.primaryKey?.columns ?? [])] };
  }

  /** The dataset must exist (datasets.get, 404 otherwise), then `SELECT 1` runs as a job. */
  override async checkConnectivity(): Promise<void> {
    try {
      await this.dataset.getMetadata();
    } catch (err) {
      throw this.mapped(err);
    }
    await super.checkConnectivity();
  }

  async close(): Promise<void> {
    // The client holds no connection of its own; requests are independent HTTPS calls.
  }

  protected async run({ sql, params }: Statement): Promise<WarehouseRow[]> {
    const queryParameters = namedBigQueryParams(params);
    const deadline = Date.now() + this.limits.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS;
    let job: Job;
    try {
      [job] = await this.client.createQueryJob({
        query: sql,
        ...(queryParameters.length > 0 ? { parameterMode: 'NAMED', queryParameters: queryParameters as never } : {}),
        useLegacySql: false,
        defaultDataset: { projectId: this.projectId, datasetId: this.dataset.id ?? '' },
        // BigQuery cancels the job itself at this deadline; the client deadline above is the backstop.
        jobTimeoutMs: this.limits.statementTimeoutMs,
      });
    } catch (err) {
      throw this.mapped(err);
    }
    const rows: WarehouseRow[] = [];
    let pageToken: string | undefined;
    for (;;) {
      if (Date.now() > deadline) {
        await job.cancel().catch(() => undefined);
        throw statementTimedOut(this.limits);
      }
      let response: RawQueryResponse;
      const polledAt = Date.now();
      try {
        // Raw rows (skipParsing): the values are converted by bigQueryRow, exactly. Without autoPaginate each
        // call is one page, or one wait of up to ten seconds while the job still runs.
        [, , response] = (await job.getQueryResults({ autoPaginate: false, skipParsing: true, ...(pageToken ? { pageToken } : {}) })) as unknown as [
          unknown,
          unknown,
          RawQueryResponse,
        ];
      } catch (err) {
        throw this.mapped(err);
      }
      if (response.jobComplete === false) {
        const elapsed = Date.now() - polledAt;
        if (elapsed < MIN_POLL_INTERVAL_MS) await sleep(MIN_POLL_INTERVAL_MS - elapsed);
        continue;
      }
      const fields = response.schema?.fields ?? [];
      for (const row of response.rows ?? []) {
        rows.push(bigQueryRow(fields, row));
        // Every shared statement is bounded already; this keeps a mistake from filling memory.
        if (rows.length > this.limits.maxRows + 1) throw rowCapExceeded('query', this.limits);
      }
      if (!response.pageToken) return rows;
      pageToken = response.pageToken;
    }
  }

  private mapped(err: unknown): AppError {
    return mapBigQueryError(err, this.projectId, this.limits);
  }

  private async tableMissing(table: string): Promise<never> {
    const known = await this.listTables();
    throw new MessageNotFoundError(`The table '${table}' does not exist. Known tables: ${known.join(', ')}`);
  }
}

/**
 * Sends the auth client's token request to `tokenUrl` (tests: the local fake) instead of Google's fixed
 * endpoint. The library ignores `token_uri`, so the redirect is a request interceptor on the auth client's
 * own transport, touching nothing else.
 */
async function redirectTokenRequests(client: BigQuery, tokenUrl: string): Promise<void> {
  const target = new URL(tokenUrl);
  const auth = await client.authClient.getClient();
  auth.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === GOOGLE_TOKEN_URL) config.url = target;
      return config;
    },
  });
}
