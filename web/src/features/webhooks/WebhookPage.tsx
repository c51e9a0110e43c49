/**
 * `/webhooks/:webhookId`: one endpoint's settings, secrets, test sending, delivery log, schemas and
 * receiver setup, with edit, enable/disable and delete.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { forgetDeleted } from '../../api/forget-deleted.ts';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { PageHeader, Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useEventTypes, useWebhook, webhookKeys, webhookPath, type Webhook } from './api.ts';
import { DeliveryLog } from './DeliveryLog.tsx';
import { EventSchemas } from './EventSchemas.tsx';
import { ReceiverSetup } from './ReceiverSetup.tsx';
import { SecretsSection } from './SecretsSection.tsx';
import { TestEventSection } from './TestEventSection.tsx';
import { WebhookFormDialog } from './WebhookFormDialog.tsx';
import { EnabledBadge } from './WebhooksPage.tsx';
import { disabledReason } from './words.ts';

export function WebhookPage() {
  const { webhookId = '' } = useParams();
  const { current } = useOrganization();
  const webhook = useWebhook(current.id, webhookId);
  const crumbs = [{ label: 'Webhooks', to: '/webhooks' }];
  if (webhook.isPending) return <><PageHeader title="Webhook" crumbs={crumbs} /><Loading label="Loading the webhook…" /></>;
  if (webhook.isError) {
    const missing = webhook.error instanceof ApiError && webhook.error.status === 404;
    return (
      <>
        <PageHeader title={missing ? 'Webhook not found' : 'Webhook'} crumbs={crumbs} />
        {missing ? (
          <Callout tone="warning" title="There is no such webhook in this organization">
            It may have been deleted, or it belongs to another organization. Pick one from the list of webhooks.
          </Callout>
        ) : (
          <ErrorCallout title="Could not load the webhook" error={webhook.error} onRetry={() => void webhook.refetch()} />
        )}
      </>
    );
  }
  return <WebhookDetails webhook={webhook.data} />;
}

function WebhookDetails({ webhook }: { webhook: Webhook }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const types = useEventTypes();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'disable' | 'delete' | null>(null);
  const path = webhookPath(current.id, webhook.id);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) });

  const toggle = useMutation({
    mutationFn: (action: 'enable' | 'disable') => api.post<Webhook>(`${path}/${action}`),
    onSuccess: async (w) => {
      setConfirm(null);
      toast(w.enabled ? 'Webhook enabled. Replay failed deliveries to send what it missed.' : 'Webhook disabled');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete(path),
    onSuccess: async () => {
      toast(`Webhook “${webhook.name || webhook.id}” deleted`);
      // The list is not mounted, so invalidating alone would show the deleted row until its refetch lands.
      queryClient.setQueryData<{ items: Webhook[] }>(webhookKeys.all(current.id), (d) => d && { items: d.items.filter((w) => w.id !== webhook.id) });
      await navigate('/webhooks');
      await forgetDeleted(queryClient, [webhookKeys.one(current.id, webhook.id)]);
      await refresh();
    },
  });
  const descriptions = new Map((types.data?.items ?? []).map((t) => [t.type, t.description]));

  return (
    <>
      <PageHeader
        title={webhook.name || 'Unnamed webhook'}
        crumbs={[{ label: 'Webhooks', to: '/webhooks' }, { label: webhook.name || webhook.id }]}
        actions={
          <>
            <Button onClick={() => setEditing(true)}>Edit</Button>
            {webhook.enabled ? (
              <Button onClick={() => setConfirm('disable')}>Disable</Button>
            ) : (
              <Button variant="primary" busy={toggle.isPending} onClick={() => toggle.mutate('enable')}>
                Enable
              </Button>
            )}
            <Button variant="danger" onClick={() => setConfirm('delete')}>
              Delete
            </Button>
          </>
        }
      >
        <div className="wh-subtitle">
          <EnabledBadge webhook={webhook} />
        </div>
      </PageHeader>

      {!webhook.enabled && (
        <Callout tone="warning" title="This webhook is disabled">
          <p>
            Since {formatDateTime(webhook.disabled_at)}, because {disabledReason(webhook.disabled_reason)}. Deliveries that come due fail without being sent;
            test events are still sent. Fix the receiver, enable the webhook, then use <strong>Replay failed…</strong> in the delivery log to send what it
            missed.
          </p>
        </Callout>
      )}
      {toggle.isError && <ErrorCallout title="Could not change the webhook" error={toggle.error} />}

      <Section title="Settings" id="webhook-settings">
        <dl className="facts">
          <dt>URL</dt>
          <dd>{webhook.url ? <CopyValue value={webhook.url} what="URL" /> : '—'}</dd>
          <dt>Webhook ID</dt>
          <dd>
            <CopyValue value={webhook.id} what="webhook ID" />
          </dd>
          <dt>Event types</dt>
          <dd>
            <ul className="wh-plain-list">
              {webhook.event_types.map((t) => (
                <li key={t}>
                  <code>{t}</code> {descriptions.get(t) && <span className="muted small">{descriptions.get(t)}</span>}
                </li>
              ))}
            </ul>
            {webhook.event_types.includes('experiment.created') && (
              <div className="field-hint">experiment.created goes only to experiments this webhook was linked to when they were designed.</div>
            )}
          </dd>
          <dt>Signatures</dt>
          <dd>{webhook.public_key ? 'v1 (HMAC-SHA256) and v1a (Ed25519)' : 'v1 (HMAC-SHA256)'}</dd>
        </dl>
      </Section>

      <TestEventSection webhook={webhook} />
      <DeliveryLog webhook={webhook} />
      <SecretsSection webhook={webhook} />
      <EventSchemas webhook={webhook} />
      <Section title="Receiver setup" id="webhook-receiver">
        <ReceiverSetup webhook={webhook} />
      </Section>

      <WebhookFormDialog open={editing} onClose={() => setEditing(false)} webhook={webhook} />
      <ConfirmDialog
        open={confirm === 'disable'}
        title="Disable this webhook?"
        confirmLabel="Disable webhook"
        busy={toggle.isPending}
        onClose={() => {
          setConfirm(null);
          toggle.reset();
        }}
        onConfirm={() => toggle.mutate('disable')}
      >
        <p>
          Equipoise stops sending events to <code>{webhook.url}</code>. Deliveries that come due while it is disabled fail without being sent and are not
          retried; after enabling it, use Replay failed to send them. Test events are still sent.
        </p>
        {toggle.isError && <ErrorCallout title="Could not disable the webhook" error={toggle.error} />}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        busy={remove.isPending}
        onClose={() => {
          setConfirm(null);
          remove.reset();
        }}
        onConfirm={() => remove.mutate()}
      >
        <p>
          “{webhook.name || webhook.id}” stops receiving events at once: deliveries still queued for it end, and experiments linked to it no longer notify it.
          Its delivery log is deleted too. This cannot be undone.
        </p>
        {remove.isError && <ErrorCallout title="Could not delete the webhook" error={remove.error} />}
      </ConfirmDialog>
    </>
  );
}
