/** `/webhooks`: the organization's endpoints with what they receive, whether they are on, and how their last delivery went. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { PageHeader } from '../../ui/Page.tsx';
import { useWebhooks, type Webhook } from './api.ts';
import { WebhookFormDialog } from './WebhookFormDialog.tsx';
import { attemptFailure, attemptOutcome, disabledReason } from './words.ts';

export function WebhooksPage() {
  const { current } = useOrganization();
  const webhooks = useWebhooks(current.id);
  const [adding, setAdding] = useState(false);
  const add = (
    <Button variant="primary" onClick={() => setAdding(true)}>
      Add webhook
    </Button>
  );
  return (
    <>
      <PageHeader title="Webhooks" actions={webhooks.data && webhooks.data.items.length > 0 ? add : undefined}>
        <p className="muted wh-intro">
          Webhooks tell your backend when experiments change. Every delivery is signed (Standard Webhooks) and retried for about three days until your receiver
          answers 2xx.
        </p>
      </PageHeader>
      {webhooks.isPending && <Loading label="Loading webhooks…" />}
      {webhooks.isError && <ErrorCallout title="Could not load the webhooks" error={webhooks.error} onRetry={() => void webhooks.refetch()} />}
      {webhooks.data && webhooks.data.items.length === 0 && (
        <EmptyState title="No webhooks yet" action={add}>
          Add one to have Equipoise notify your backend when an experiment is committed, stopped or abandoned.
        </EmptyState>
      )}
      {webhooks.data && webhooks.data.items.length > 0 && <WebhookTable items={webhooks.data.items} />}
      <WebhookFormDialog open={adding} onClose={() => setAdding(false)} />
    </>
  );
}

function WebhookTable({ items }: { items: readonly Webhook[] }) {
  return (
    <div className="section table-wrap">
      <table className="table webhooks-table">
        <caption className="visually-hidden">Webhooks</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">URL</th>
            <th scope="col">Event types</th>
            <th scope="col">Status</th>
            <th scope="col">Last delivery</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id}>
              <th scope="row">
                <Link to={`/webhooks/${w.id}`}>{w.name || 'Unnamed webhook'}</Link>
              </th>
              <td className="url-cell">
                <code title={w.url ?? undefined}>{w.url}</code>
              </td>
              <td>
                <EventTypeList types={w.event_types} />
              </td>
              <td>
                <EnabledBadge webhook={w} />
              </td>
              <td>
                <LastDelivery webhook={w} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EventTypeList({ types, max = 3 }: { types: readonly string[]; max?: number }) {
  const shown = types.slice(0, max);
  const rest = types.length - shown.length;
  return (
    <span className="event-type-list">
      {shown.map((t) => (
        <code key={t}>{t}</code>
      ))}
      {rest > 0 && <span className="muted small" title={types.slice(max).join(', ')}>+{rest} more</span>}
    </span>
  );
}

export function EnabledBadge({ webhook }: { webhook: Webhook }) {
  if (webhook.enabled) return <Badge tone="success">Enabled</Badge>;
  return (
    <span className="wh-stack">
      <Badge tone="danger">Disabled</Badge>
      <span className="small muted">{disabledReason(webhook.disabled_reason)}</span>
    </span>
  );
}

function LastDelivery({ webhook }: { webhook: Webhook }) {
  const a = webhook.last_attempt;
  if (!a) return <span className="muted small">No deliveries yet</span>;
  return (
    <span className="wh-stack">
      <Badge tone={a.success ? 'success' : 'danger'} title={attemptFailure(a) ?? undefined}>
        {a.success ? 'Delivered' : 'Failed'} · {attemptOutcome(a)}
      </Badge>
      <time className="small muted" dateTime={a.attempted_at} title={formatDateTime(a.attempted_at)}>
        {formatRelative(a.attempted_at)}
      </time>
    </span>
  );
}
