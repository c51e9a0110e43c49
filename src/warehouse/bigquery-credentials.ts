/**
 * The service-account key a BigQuery datasource carries (spec §1.6): a JSON string of at most 8,000
 * characters with `type: "service_account"`, `project_id`, `private_key_id`, `private_key` and
 * `client_email`. Only those fields are kept: Google's auth library acts on others (`universe_domain`,
 * `type: "external_account"` with its credential URLs and commands), so a key file is never handed to it
 * as received. `token_uri` is ignored for the same reason — following it would let a customer make the
 * server post signed assertions to any address. Problems never quote the key.
 */

export const MAX_SERVICE_ACCOUNT_JSON = 8000;

export interface ServiceAccount {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
}

export type ServiceAccountParse = { readonly ok: true; readonly account: ServiceAccount } | { readonly ok: false; readonly problem: string };

const REQUIRED = ['project_id', 'private_key_id', 'private_key', 'client_email'] as const;

/**
 * @example parseServiceAccount('{"type":"service_account", …}') // { ok: true, account: { … } }
 */
export function parseServiceAccount(json: string): ServiceAccountParse {
  if (json.length > MAX_SERVICE_ACCOUNT_JSON) return { ok: false, problem: `The service-account JSON must be at most ${MAX_SERVICE_ACCOUNT_JSON} characters.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'The service-account content is not valid JSON.' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, problem: 'The service-account content must be a JSON object.' };
  }
  const record = parsed as Record<string, unknown>;
  if (record['type'] !== 'service_account') return { ok: false, problem: 'The service-account JSON must have "type": "service_account".' };
  const missing = REQUIRED.filter((k) => typeof record[k] !== 'string' || (record[k] as string).trim() === '');
  if (missing.length > 0) return { ok: false, problem: `The service-account JSON lacks ${missing.map((k) => `"${k}"`).join(', ')}.` };
  const privateKey = record['private_key'] as string;
  if (!privateKey.includes('PRIVATE KEY-----')) return { ok: false, problem: 'The service-account "private_key" is not a PEM private key.' };
  return {
    ok: true,
    account: {
      type: 'service_account',
      project_id: record['project_id'] as string,
      private_key_id: record['private_key_id'] as string,
      private_key: privateKey,
      client_email: record['client_email'] as string,
    },
  };
}
