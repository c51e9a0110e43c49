/**
 * The webhook's secrets: masked until a member asks (each reveal is an audited request), kept only in this
 * component's state so they are gone when the page is left, and rotated with a confirmation that explains
 * what receivers must do. The public key is not a secret and is always shown.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../ui/Callout.tsx';
import { CopyButton, CopyValue } from '../../ui/CopyButton.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { SelectField } from '../../ui/Field.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { webhookKeys, webhookPath, type Webhook, type WebhookWithSecrets } from './api.ts';

const MASK = '••••••••••••••••••••••••';

/** Overlap choices for a signing-secret rotation, in hours (the server allows 0 to 168). */
export const OVERLAP_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: '0', label: 'No overlap: the old secret stops now' },
  { value: '1', label: '1 hour' },
  { value: '24', label: '24 hours (recommended)' },
  { value: '72', label: '3 days' },
  { value: '168', label: '7 days (the longest)' },
];

interface Revealed {
  signing_secret?: string | null;
  auth_token?: string | null;
}

export function SecretsSection({ webhook }: { webhook: Webhook }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  // Plaintext lives here only: not in the query cache, not in storage; unmounting (leaving the page) drops it.
  const [revealed, setRevealed] = useState<Revealed>({});
  const [shown, setShown] = useState<{ secret: boolean; token: boolean }>({ secret: false, token: false });
  const [confirm, setConfirm] = useState<'secret' | 'token' | null>(null);
  const [overlap, setOverlap] = useState('24');

  const reveal = useMutation({
    mutationFn: () => api.get<WebhookWithSecrets>(`${webhookPath(current.id, webhook.id)}/authtoken`),
    onSuccess: (w, which: 'secret' | 'token') => {
      setRevealed({ signing_secret: w.signing_secret ?? null, auth_token: w.auth_token ?? null });
      setShown((s) => ({ ...s, [which]: true }));
    },
  });
  const rotateSecret = useMutation({
    mutationFn: (hours: number) => api.post<WebhookWithSecrets>(`${webhookPath(current.id, webhook.id)}/secret/rotate`, { overlap_hours: hours }),
    onSuccess: async (w) => {
      setRevealed((r) => ({ ...r, signing_secret: w.signing_secret ?? null }));
      setShown((s) => ({ ...s, secret: true }));
      setConfirm(null);
      toast('Signing secret rotated: copy the new one to your receiver');
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) });
    },
  });
  const rotateToken = useMutation({
    mutationFn: () => api.post<WebhookWithSecrets>(`${webhookPath(current.id, webhook.id)}/authtoken`),
    onSuccess: (w) => {
      setRevealed((r) => ({ ...r, auth_token: w.auth_token ?? null }));
      setShown((s) => ({ ...s, token: true }));
      setConfirm(null);
      toast('Legacy token regenerated: update receivers that check it');
    },
  });

  function toggle(which: 'secret' | 'token') {
    if (shown[which]) {
      setShown((s) => ({ ...s, [which]: false }));
      // Nothing shown any more: forget the plaintext too.
      if (!shown[which === 'secret' ? 'token' : 'secret']) setRevealed({});
      return;
    }
    const have = which === 'secret' ? revealed.signing_secret : revealed.auth_token;
    if (have !== undefined) setShown((s) => ({ ...s, [which]: true }));
    else reveal.mutate(which);
  }

  return (
    <Section title="Secrets" id="webhook-secrets">
      <p className="muted small">Masked until you reveal them. Each reveal is recorded in the organization’s audit log, and leaving this page hides them again.</p>
      <dl className="facts secrets-facts">
        <dt>Signing secret</dt>
        <dd>
          <SecretValue
            label="signing secret"
            value={shown.secret ? revealed.signing_secret : undefined}
            busy={reveal.isPending && reveal.variables === 'secret'}
            onToggle={() => toggle('secret')}
            shown={shown.secret}
          />
          <div className="field-hint">Verifies the v1 signature (HMAC-SHA256). Keep it in your receiver’s secret store.</div>
          {webhook.previous_secret_expires_at && (
            <div className="field-hint">The previous secret also signs until {formatDateTime(webhook.previous_secret_expires_at)}.</div>
          )}
          <Button size="small" onClick={() => setConfirm('secret')}>
            Rotate signing secret…
          </Button>
        </dd>
        <dt>Legacy token</dt>
        <dd>
          <SecretValue
            label="legacy token"
            value={shown.token ? revealed.auth_token : undefined}
            busy={reveal.isPending && reveal.variables === 'token'}
            onToggle={() => toggle('token')}
            shown={shown.token}
          />
          <div className="field-hint">Sent as Webhook-Token and Authorization: Bearer, for receivers written for Evidential.</div>
          <Button size="small" onClick={() => setConfirm('token')}>
            Regenerate legacy token…
          </Button>
        </dd>
        {webhook.public_key && (
          <>
            <dt>Public key</dt>
            <dd>
              <CopyValue value={webhook.public_key} what="public key" />
              <div className="field-hint">Verifies the v1a (Ed25519) signature. It is not a secret.</div>
            </dd>
          </>
        )}
      </dl>
      {reveal.isError && <ErrorCallout title="Could not reveal the secrets" error={reveal.error} />}

      <ConfirmDialog
        open={confirm === 'secret'}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        danger={false}
        busy={rotateSecret.isPending}
        onClose={() => {
          setConfirm(null);
          rotateSecret.reset();
        }}
        onConfirm={() => rotateSecret.mutate(Number(overlap))}
      >
        <p>
          A new secret signs every delivery from now on. During the overlap the old secret signs too (the <code>webhook-signature</code> header carries two{' '}
          <code>v1,</code> signatures), so your receiver keeps accepting deliveries while you deploy the new secret.
        </p>
        <SelectField
          label="Keep the old secret signing for"
          options={OVERLAP_CHOICES}
          value={overlap}
          onChange={(e) => setOverlap(e.target.value)}
          error={rotateSecret.error instanceof ApiError ? rotateSecret.error.fieldMessage('overlap_hours') : undefined}
        />
        {overlap === '0' && (
          <Callout tone="warning">Without overlap, deliveries fail verification until your receiver has the new secret.</Callout>
        )}
        {rotateSecret.isError && <ErrorCallout title="Could not rotate the secret" error={rotateSecret.error} />}
      </ConfirmDialog>

      <ConfirmDialog
        open={confirm === 'token'}
        title="Regenerate the legacy token?"
        confirmLabel="Regenerate token"
        busy={rotateToken.isPending}
        onClose={() => {
          setConfirm(null);
          rotateToken.reset();
        }}
        onConfirm={() => rotateToken.mutate()}
      >
        <p>
          The new token is used at once, with no overlap: receivers that check <code>Webhook-Token</code> or <code>Authorization</code> reject deliveries until
          they have it. Receivers that verify the signature are not affected.
        </p>
        {rotateToken.isError && <ErrorCallout title="Could not regenerate the token" error={rotateToken.error} />}
      </ConfirmDialog>
    </Section>
  );
}

function SecretValue({ label, value, shown, busy, onToggle }: { label: string; value: string | null | undefined; shown: boolean; busy: boolean; onToggle: () => void }) {
  return (
    <span className="secret-value">
      {shown && value ? (
        <code>{value}</code>
      ) : shown ? (
        <span className="muted">none (this webhook predates signing)</span>
      ) : (
        <code aria-label={`${label} (hidden)`}>{MASK}</code>
      )}
      <Button size="small" busy={busy} onClick={onToggle}>
        {shown ? `Hide ${label}` : `Reveal ${label}`}
      </Button>
      {shown && value && <CopyButton text={value} what={label} />}
    </span>
  );
}
