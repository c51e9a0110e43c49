/**
 * The secret keyset as services use it: one place that turns a missing keyset into a clear error for the
 * user instead of a crash deep inside a warehouse connection.
 */
import { AppError } from '../domain/errors.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { ServiceDeps } from './context.ts';

/** The 400 explaining how to configure a keyset; also thrown where a credential would be stored without one. */
export function missingKeysetError(): AppError {
  return new AppError('bad_request', 'This server has no secret keyset, so it cannot store warehouse credentials. Set EQUIPOISE_SECRET_KEYS and restart.', { shape: 'message' });
}

/** The keyset, or a 400 explaining how to configure one. */
export function requireKeyset(deps: Pick<ServiceDeps, 'secrets'>): SecretKeyset {
  if (!deps.secrets) throw missingKeysetError();
  return deps.secrets;
}
