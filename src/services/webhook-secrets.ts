/**
 * A webhook's signing keys at rest: each is encrypted with the secret keyset and bound by associated data
 * to its webhook row, so a ciphertext copied onto another webhook does not decrypt. The previous HMAC
 * secret stays valid (and keeps signing) until its overlap window ends, so receivers can switch secrets
 * without a gap.
 */
import { AppError } from '../domain/errors.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { SigningKeys } from '../security/webhook-signing.ts';
import type { Webhook } from '../store/schema.ts';

/** The current and the previous HMAC secret share one binding: rotation moves a ciphertext between the columns. */
export const hmacSecretAad = (webhookId: string) => `webhook:${webhookId}:signing_secret`;
export const ed25519KeyAad = (webhookId: string) => `webhook:${webhookId}:ed25519_key`;

/** The keyset, or a 400 naming the variable: signing secrets are never stored in plaintext. */
export function requireWebhookKeyset(keyset: SecretKeyset | null): SecretKeyset {
  if (!keyset) {
    throw new AppError('bad_request', 'This server has no secret keyset, so it cannot store webhook signing secrets. Set EQUIPOISE_SECRET_KEYS and restart.');
  }
  return keyset;
}

type KeyColumns = Pick<Webhook, 'id' | 'signing_secret' | 'previous_signing_secret' | 'previous_secret_expires_at' | 'ed25519_private_key'>;

/** Whether the previous secret still signs at `now`. */
export function previousSecretActive(w: Pick<Webhook, 'previous_signing_secret' | 'previous_secret_expires_at'>, now: Date): boolean {
  return w.previous_signing_secret !== null && w.previous_secret_expires_at !== null && w.previous_secret_expires_at.getTime() > now.getTime();
}

/** The plaintext current HMAC secret, or null for a webhook created before signing existed. */
export function decryptSigningSecret(keyset: SecretKeyset, w: Pick<Webhook, 'id' | 'signing_secret'>): string | null {
  return w.signing_secret ? keyset.decrypt(w.signing_secret, hmacSecretAad(w.id)) : null;
}

/**
 * Every key that signs an attempt at `now`: current HMAC secret, the previous one inside its overlap, and
 * the Ed25519 key when the endpoint opted in. Throws when keys exist but the keyset cannot open them.
 */
export function signingKeysFor(keyset: SecretKeyset | null, w: KeyColumns, now: Date): SigningKeys {
  if (!w.signing_secret && !w.ed25519_private_key) return { hmacSecrets: [], ed25519Keys: [] };
  if (!keyset) throw new Error('this worker has no secret keyset (EQUIPOISE_SECRET_KEYS), so it cannot sign the delivery');
  const hmacSecrets: string[] = [];
  if (w.signing_secret) hmacSecrets.push(keyset.decrypt(w.signing_secret, hmacSecretAad(w.id)));
  if (w.previous_signing_secret && previousSecretActive(w, now)) hmacSecrets.push(keyset.decrypt(w.previous_signing_secret, hmacSecretAad(w.id)));
  const ed25519Keys = w.ed25519_private_key ? [keyset.decrypt(w.ed25519_private_key, ed25519KeyAad(w.id))] : [];
  return { hmacSecrets, ed25519Keys };
}
