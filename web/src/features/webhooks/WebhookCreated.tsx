/** Right after creation: the secrets (with copy buttons) and everything the receiver's author needs. */
import { useEffect, useRef } from 'react';
import { Callout } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import type { WebhookWithSecrets } from './api.ts';
import { ReceiverSetup } from './ReceiverSetup.tsx';

export function WebhookCreated({ webhook }: { webhook: WebhookWithSecrets }) {
  const heading = useRef<HTMLSpanElement>(null);
  // The submit button that had focus is gone; start keyboard and screen-reader users at the news.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="stack webhook-created">
      <Callout tone="success" role="status" title={<span ref={heading} tabIndex={-1}>“{webhook.name}” is ready</span>}>
        <p>
          Equipoise will POST to <code>{webhook.url}</code>. Copy the signing secret into your receiver’s configuration now. You can reveal it again on
          the webhook’s page; every reveal is recorded in the audit log.
        </p>
      </Callout>
      <dl className="facts secrets-facts">
        <dt>Signing secret</dt>
        <dd>{webhook.signing_secret ? <CopyValue value={webhook.signing_secret} what="signing secret" /> : <span className="muted">none</span>}</dd>
        <dt>Legacy token</dt>
        <dd>
          {webhook.auth_token ? <CopyValue value={webhook.auth_token} what="legacy token" /> : <span className="muted">none</span>}
          <div className="field-hint">Sent as Webhook-Token and as Authorization: Bearer, for receivers written for Evidential.</div>
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
        <dt>Webhook ID</dt>
        <dd>
          <CopyValue value={webhook.id} what="webhook ID" />
        </dd>
      </dl>
      <ReceiverSetup webhook={webhook} />
      <p className="muted small">Next: open the webhook’s page and send a test event to check that your receiver accepts it.</p>
    </div>
  );
}
