/**
 * Masks credentials in an event's details before they are shown or copied. The server already masks them
 * (`src/services/webhook-redaction.ts`); this is the second lock, for anything the server misses: any
 * property whose name says it holds a credential, at any depth, and credential-shaped text in strings.
 *
 * @example
 *   maskSecrets({ headers: { Authorization: 'Bearer abc', 'webhook-id': 'msg_1' } });
 *   // { headers: { Authorization: '***', 'webhook-id': 'msg_1' } }
 */
export const MASKED = '***';

const SENSITIVE_KEY = /token|secret|signature|authorization|api[-_]?key|password|passwd|private[-_]?key|cookie|credential/i;

const SENSITIVE_TEXT: readonly [RegExp, string][] = [
  [/\bwhsec_[A-Za-z0-9+/=]+/g, `whsec_${MASKED}`],
  [/\bwhsk_[A-Za-z0-9+/=]+/g, `whsk_${MASKED}`],
  [/\bxat_[A-Za-z0-9_-]+/g, `xat_${MASKED}`],
  [/\bxa_[A-Za-z0-9_.-]+/g, `xa_${MASKED}`],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASKED}`],
];

export function isSecretKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

export function maskSecrets<T>(value: T): T {
  return mask(value) as T;
}

function mask(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [pattern, replacement] of SENSITIVE_TEXT) out = out.replace(pattern, replacement);
    return out;
  }
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretKey(k) && v !== null && v !== undefined && v !== '' ? MASKED : mask(v)]));
  }
  return value;
}
