/** The shared secret a webhook receiver checks (`Webhook-Token` / `Authorization: Bearer`): 32 hex chars. */
import { randomBytes } from 'node:crypto';

export function generateWebhookToken(): string {
  return randomBytes(16).toString('hex');
}
