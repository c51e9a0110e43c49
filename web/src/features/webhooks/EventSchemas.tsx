/**
 * The JSON Schema of each event type this webhook receives, as the server publishes it: one collapsible
 * block per type (native <details>, so Enter and Space open it), with a sample body and copy buttons.
 */
import { useMemo } from 'react';
import { useOrganization } from '../../org/organization.tsx';
import { ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { JsonBlock } from '../../ui/CodeBlock.tsx';
import { Section } from '../../ui/Page.tsx';
import { useEventTypes, type Webhook } from './api.ts';
import { sampleFromSchema } from './sample-body.ts';

export function EventSchemas({ webhook }: { webhook: Webhook }) {
  const types = useEventTypes();
  const { current } = useOrganization();
  const received = useMemo(() => (types.data?.items ?? []).filter((t) => webhook.event_types.includes(t.type)), [types.data, webhook.event_types]);
  return (
    <Section title="Event types and their schemas" id="webhook-schemas">
      <p className="muted small">
        What this webhook receives. Each schema (JSON Schema 2020-12) is the contract: deliveries are checked against it in Equipoise’s tests. All types are
        listed at <code>GET /v1/m/webhook-event-types</code>.
      </p>
      {types.isPending && <Loading label="Loading event types…" />}
      {types.isError && <ErrorCallout title="Could not load the event types" error={types.error} onRetry={() => void types.refetch()} />}
      <div className="schema-list">
        {received.map((t) => (
          <details key={t.type} className="schema-item">
            <summary>
              <code>{t.type}</code> <span className="muted">{t.description}</span>
            </summary>
            <div className="grid-2">
              <JsonBlock
                value={sampleFromSchema(t.schema, { organizationId: current.id, webhookId: webhook.id, now: new Date(), origin: window.location.origin })}
                label={`${t.type} sample body`}
                title="Sample body"
              />
              <JsonBlock value={t.schema} label={`${t.type} JSON schema`} title="JSON Schema" />
            </div>
          </details>
        ))}
      </div>
    </Section>
  );
}
