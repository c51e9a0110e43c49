/**
 * Ready-made receiver code that checks a delivery's Standard Webhooks signature. The secret is read from
 * the environment, never pasted into code, so a snippet can be copied into a repository as it is. Both
 * snippets were run against real deliveries (see the webhook UI tests and docs/web-ui-webhooks.md).
 */
export const SECRET_ENV = 'EQUIPOISE_WEBHOOK_SECRET';

export const TYPESCRIPT_VERIFY = `import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.${SECRET_ENV}!; // whsec_…
const TOLERANCE_SECONDS = 5 * 60;

/** Call with the raw request body (before JSON parsing) and the request headers. */
export function verifyWebhook(rawBody: Buffer, headers: Record<string, string | undefined>): boolean {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !ts || !signatures) return false;
  if (Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(\`\${id}.\${ts}.\`).update(rawBody).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
`;

export const PYTHON_VERIFY = `import base64, hashlib, hmac, os, time

SECRET = os.environ["${SECRET_ENV}"]  # whsec_…
TOLERANCE_SECONDS = 5 * 60

def verify_webhook(raw_body: bytes, headers) -> bool:
    """Call with the raw request body (before JSON parsing) and the request headers."""
    msg_id = headers.get("webhook-id")
    ts = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and ts and signatures):
        return False
    if not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{ts}.".encode() + raw_body, hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    return any(
        version == "v1" and hmac.compare_digest(value, expected)
        for version, _, value in (entry.partition(",") for entry in signatures.split(" "))
    )
`;
