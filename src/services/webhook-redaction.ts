/**
 * Masks credentials in event data before anyone sees it. Recent Events keep each webhook attempt's request
 * (headers included) and the receiver's answer; the delivery code already writes `***` for the legacy token,
 * but rows written before a rule existed, a receiver that echoes a header back, or a future event type must
 * not leak one either, so the list masks again on the way out, by key and by value:
 *
 * - any property whose name says it holds a credential (token, secret, signature, authorization, api key,
 *   password, private key, cookie), at any depth;
 * - credential-shaped text inside other strings (`whsec_…`, `xat_…`/`xa_…` keys and sessions, `Bearer …`).
 *
 * @example
 *   redactSecrets({ headers: { 'webhook-signature': 'v1,abc', 'User-Agent': 'x' } });
 *   // { headers: { 'webhook-signature': '***', 'User-Agent': 'x' } }
 */
export const REDACTED = '***';

const SENSITIVE_KEY = /token|secret|signature|authorization|api[-_]?key|password|passwd|private[-_]?key|cookie|credential/i;

const SENSITIVE_TEXT: readonly [RegExp, string][] = [
  [/\bwhsec_[A-Za-z0-9+/=]+/g, `whsec_${REDACTED}`],
  [/\bwhsk_[A-Za-z0-9+/=]+/g, `whsk_${REDACTED}`],
  [/\bxat_[A-Za-z0-9_-]+/g, `xat_${REDACTED}`],
  [/\bxa_[A-Za-z0-9_.-]+/g, `xa_${REDACTED}`],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
];

/** Whether a property of this name holds a credential. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SENSITIVE_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` with every credential masked; null and absent values stay as they are. */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v);
    return out;
  }
  return value;
}
