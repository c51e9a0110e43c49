/**
 * Turns credentials into actors: admin bearer tokens into users, `X-API-Key` values into datasource keys.
 * Messages and the distinction between "missing", "malformed" and "unknown" follow the reference, because
 * client code branches on them.
 */
import type { Kysely } from 'kysely';
import { ApiKeyError, MessageNotFoundError, NotFoundError, UnauthenticatedError } from '../domain/errors.ts';
import { hashAccessToken } from '../security/access-tokens.ts';
import { API_KEY_PREFIX, hashApiKey } from '../security/api-keys.ts';
import type { DB } from '../store/schema.ts';
import type { ApiKeyActor, ServiceDeps, UserActor } from './context.ts';

export async function authenticateBearer(deps: Pick<ServiceDeps, 'db' | 'clock'>, token: string): Promise<UserActor> {
  const row = await deps.db
    .selectFrom('access_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.email', 'u.is_privileged', 'u.last_logout', 't.created_at', 't.expires_at'])
    .where('t.token_hash', '=', hashAccessToken(token))
    .executeTakeFirst();
  const now = deps.clock.now();
  if (!row || (row.expires_at && row.expires_at <= now)) throw new UnauthenticatedError('Session token invalid or expired.');
  if (row.last_logout > row.created_at) throw new UnauthenticatedError('Expired session, or user not found.');
  return { kind: 'user', userId: row.id, email: row.email, isPrivileged: row.is_privileged };
}

export const API_KEY_INVALID = 'X-API-Key is invalid or does not have access to this resource.';
export const EXPERIMENT_NOT_FOUND = 'Experiment not found or not authorized.';

function checkKeyShape(key: string | undefined): string {
  if (key === undefined || key === '') throw new ApiKeyError('api_key_missing', 'X-API-Key request header is required.');
  if (!key.startsWith(API_KEY_PREFIX)) {
    throw new ApiKeyError('bad_request', `X-API-Key request header is invalid: must start with \`${API_KEY_PREFIX}\`.`);
  }
  return key;
}

async function findKey(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('datasources as d', 'd.id', 'k.datasource_id')
    .select(['k.id', 'k.datasource_id', 'd.organization_id'])
    .where('k.key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
}

/**
 * For `GET /v1/experiments`: the key must belong to the named datasource. Unknown datasource → 404,
 * unknown key or another datasource's key → 403.
 */
export async function authenticateKeyForDatasource(
  deps: Pick<ServiceDeps, 'db'>,
  key: string | undefined,
  datasourceId: string,
): Promise<ApiKeyActor> {
  const shaped = checkKeyShape(key);
  const ds = await deps.db.selectFrom('datasources').select('id').where('id', '=', datasourceId).executeTakeFirst();
  if (!ds) throw new MessageNotFoundError('Datasource not found.');
  const found = await findKey(deps.db, shaped);
  if (!found || found.datasource_id !== datasourceId) throw new ApiKeyError('api_key_invalid', API_KEY_INVALID);
  return { kind: 'api_key', keyId: found.id, datasourceId: found.datasource_id, organizationId: found.organization_id };
}

/**
 * For experiment-scoped routes: the experiment is looked up through the key's datasource, so an unknown
 * key, another datasource's key and an unknown experiment all answer the same 404.
 */
export async function authenticateKeyForExperiment(
  deps: Pick<ServiceDeps, 'db'>,
  key: string | undefined,
  experimentId: string,
  datasourceHeader: string | undefined,
): Promise<ApiKeyActor> {
  const shaped = checkKeyShape(key);
  const found = await findKey(deps.db, shaped);
  if (!found) throw new NotFoundError(EXPERIMENT_NOT_FOUND);
  if (datasourceHeader !== undefined && datasourceHeader !== found.datasource_id) {
    throw new ApiKeyError('api_key_invalid', API_KEY_INVALID);
  }
  const exp = await deps.db
    .selectFrom('experiments')
    .select('id')
    .where('id', '=', experimentId)
    .where('datasource_id', '=', found.datasource_id)
    .executeTakeFirst();
  if (!exp) throw new NotFoundError(EXPERIMENT_NOT_FOUND);
  return { kind: 'api_key', keyId: found.id, datasourceId: found.datasource_id, organizationId: found.organization_id };
}
