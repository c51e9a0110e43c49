/**
 * The secret keyset as services receive it. It travels in the deps object built by `cli/runtime.ts`
 * (`ServiceDeps & { secrets }`); `context.ts` does not declare it yet, so it is read here in one place
 * with a clear error when a server was started without one.
 */
import { AppError } from '../domain/errors.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { ServiceDeps } from './context.ts';

export interface SecretDeps {
  readonly secrets?: SecretKeyset | null;
}

/** The keyset, or null when none is configured (only API-only and DuckDB datasources work then). */
export function keysetOf(deps: ServiceDeps): SecretKeyset | null {
  return (deps as ServiceDeps & SecretDeps).secrets ?? null;
}

/** The keyset, or a 400 explaining how to configure one. */
export function requireKeyset(deps: ServiceDeps): SecretKeyset {
  const keyset = keysetOf(deps);
  if (!keyset) {
    throw new AppError('bad_request', 'This server has no secret keyset, so it cannot store warehouse credentials. Set EQUIPOISE_SECRET_KEYS and restart.', { shape: 'message' });
  }
  return keyset;
}
