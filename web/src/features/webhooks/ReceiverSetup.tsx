/**
 * What the author of a receiver needs besides the secret: the headers every delivery carries, a sample body
 * per subscribed event type (from the server's schemas), and code that verifies the signature.
 */
import { useMemo } from 'react';
import { ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CodeBlock, JsonBlock } from '../../ui/CodeBlock.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { useOrganization } from '../../org/organization.tsx';
import { useEventTypes, type Webhook } from './api.ts';
import { sampleFromSchema } from './sample-body.ts';
import { PYTHON_VERIFY, SECRET_ENV, TYPESCRIPT_VERIFY } from './verify-snippets.ts';

const HEADERS: ReadonlyArray<[string, string, string]> = [
  ['Content-Type', 'application/json', ''],
  ['webhook-id', 'msg_…', 'The message id: the same on every retry and replay. Deduplicate on it.'],
  ['webhook-timestamp', 'Unix seconds', 'When this attempt was sent. Reject old ones (5 minutes).'],
  ['webhook-signature', 'v1,<base64>', 'HMAC-SHA256 of “id.timestamp.body” under the signing secret; two entries while a rotated secret overlaps.'],
  ['Webhook-Token', '<legacy token>', 'For receivers written for Evidential.'],
  ['Authorization', 'Bearer <legacy token>', 'The same token, for receivers that expect a bearer token.'],
  ['User-Agent', 'Equipoise-Webhooks/0.1', ''],
];

export function DeliveryHeaders({ ed25519 }: { ed25519: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table webhook-headers">
        <caption className="visually-hidden">Headers on every delivery</caption>
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Value</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {HEADERS.map(([name, value, meaning]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>
                <code>{name === 'webhook-signature' && ed25519 ? 'v1,<base64> v1a,<base64>' : value}</code>
              </td>
              <td className="small">{name === 'webhook-signature' && ed25519 ? `${meaning} v1a is Ed25519, checked with the public key.` : meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SampleBodies({ webhook }: { webhook: Webhook }) {
  const types = useEventTypes();
  const { current } = useOrganization();
  const samples = useMemo(() => {
    const now = new Date();
    return (types.data?.items ?? [])
      .filter((t) => webhook.event_types.includes(t.type))
      .map((t) => ({ type: t.type, body: sampleFromSchema(t.schema, { organizationId: current.id, webhookId: webhook.id, now, origin: window.location.origin }) }));
  }, [types.data, webhook.event_types, webhook.id, current.id]);
  if (types.isPending) return <Loading label="Loading event types…" />;
  if (types.isError) return <ErrorCallout title="Could not load the event types" error={types.error} onRetry={() => void types.refetch()} />;
  if (samples.length === 1) return <JsonBlock value={samples[0]!.body} label={`sample ${samples[0]!.type} body`} title={samples[0]!.type} />;
  return (
    <Tabs
      label="Sample bodies"
      tabs={samples.map((s) => ({ id: s.type, label: s.type, content: <JsonBlock value={s.body} label={`sample ${s.type} body`} title={s.type} /> }))}
    />
  );
}

export function VerifySnippets() {
  return (
    <>
      <p className="small muted">
        Keep the signing secret in the environment variable <code>{SECRET_ENV}</code> and verify the raw body before parsing it.
      </p>
      <Tabs
        label="Verification code"
        tabs={[
          { id: 'ts', label: 'TypeScript (Node)', content: <CodeBlock code={TYPESCRIPT_VERIFY} label="TypeScript verification code" title="verify-webhook.ts" /> },
          { id: 'py', label: 'Python', content: <CodeBlock code={PYTHON_VERIFY} label="Python verification code" title="verify_webhook.py" /> },
        ]}
      />
    </>
  );
}

/** Headers, sample bodies and verification code, each under its own heading (`level` for nesting). */
export function ReceiverSetup({ webhook, level = 3 }: { webhook: Webhook; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div className="receiver-setup">
      <div>
        <H>Headers on every delivery</H>
        <DeliveryHeaders ed25519={webhook.public_key !== null} />
      </div>
      <div>
        <H>Sample body</H>
        <p className="small muted">
          <code>experiment.created</code> keeps Evidential’s flat body; every other type is an envelope <code>{'{type, timestamp, organization_id, data}'}</code>.
        </p>
        <SampleBodies webhook={webhook} />
      </div>
      <div>
        <H>Verify the signature</H>
        <VerifySnippets />
      </div>
    </div>
  );
}
