/**
 * Hardening against ambient Google credentials (spec §3.2). A BigQuery datasource must only ever act as
 * the service account its owner uploaded, never as whatever identity the server's machine has. The
 * engine already passes explicit credentials and project, so Google's auth library never looks for
 * application-default credentials; these checks make that hold even if a later change forgets it:
 * - `GOOGLE_APPLICATION_CREDENTIALS` set means someone expects ambient credentials: refuse;
 * - `BIGQUERY_EMULATOR_HOST` silently redirects every query (with its bearer token) elsewhere: refuse;
 * - the GCE metadata server (the other ambient source) is pointed at 127.0.0.1.
 * The server can call `hardenGoogleEnvironment` at start-up; the engine calls it again on every open.
 */
import { WarehouseError } from '../domain/errors.ts';

const REFUSED_VARIABLES = ['GOOGLE_APPLICATION_CREDENTIALS', 'BIGQUERY_EMULATOR_HOST'] as const;
const METADATA_VARIABLES = ['GCE_METADATA_HOST', 'GCE_METADATA_IP'] as const;
const NOWHERE = '127.0.0.1';

/** The variable that makes BigQuery unsafe to use in this environment, or null. */
export function ambientGoogleProblem(env: NodeJS.ProcessEnv): string | null {
  return REFUSED_VARIABLES.find((name) => (env[name] ?? '') !== '') ?? null;
}

/**
 * Throws (502) when ambient credentials or an endpoint override are configured; otherwise neutralizes the
 * metadata server in `env` (the auth library reads `process.env`, hence the default).
 *
 * @example hardenGoogleEnvironment(process.env)
 */
export function hardenGoogleEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const variable = ambientGoogleProblem(env);
  if (variable) {
    // The value is a path or host of this server, not the customer's; still not echoed.
    throw new WarehouseError(
      'warehouse_unavailable',
      `BigQuery is disabled on this server because ${variable} is set: Equipoise only uses each datasource's own service account. Unset it and restart.`,
    );
  }
  for (const name of METADATA_VARIABLES) env[name] = NOWHERE;
}
