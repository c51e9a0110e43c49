/**
 * A freshly created (or rotated) API key, shown this once: the key and the datasource id with copy
 * buttons, a plain warning that it cannot be shown again, and client code with the real values in it.
 */
import { Callout } from '../../ui/Callout.tsx';
import { CodeBlock } from '../../ui/CodeBlock.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Tabs } from '../../ui/Tabs.tsx';
import type { CreatedApiKey } from './api.ts';
import { SNIPPET_LANGUAGES, snippetFor } from './api-key-snippets.ts';

export function NewKeyPanel({ created, baseUrl }: { created: CreatedApiKey; baseUrl: string }) {
  const input = { baseUrl, datasourceId: created.datasource_id, key: created.key, scopes: created.scopes };
  return (
    <div className="stack new-key">
      <Callout tone="warning" title="Copy the key now: you will not see it again">
        <p>Equipoise keeps only a hash of it. If it is lost, create a new key (or rotate this one) and revoke the old one.</p>
      </Callout>
      {created.previous_key_expires_at && (
        <Callout tone="info">
          <p>The old key keeps working until {formatDateTime(created.previous_key_expires_at)}, so you can deploy the new one first.</p>
        </Callout>
      )}
      <dl className="facts">
        <dt>API key</dt>
        <dd>
          <CopyValue value={created.key} what="API key" />
        </dd>
        <dt>Datasource ID</dt>
        <dd>
          <CopyValue value={created.datasource_id} what="datasource ID" />
        </dd>
        <dt>Scopes</dt>
        <dd>{created.scopes.join(', ')}</dd>
      </dl>
      <h3>Try it</h3>
      <p className="muted small">
        Send the key as <code>X-API-Key</code> and the datasource as <code>Datasource-ID</code>. Replace <code>EXPERIMENT_ID</code> and <code>PARTICIPANT_ID</code> with your own.
      </p>
      <Tabs
        label="Client code"
        tabs={SNIPPET_LANGUAGES.map((l) => {
          const code = snippetFor(l.id, input);
          return {
            id: l.id,
            label: l.label,
            content: <CodeBlock code={code} label={`${l.label} snippet`} title={l.id === 'python' ? 'Python (httpx)' : l.id === 'typescript' ? 'TypeScript (fetch)' : 'Shell'} />,
          };
        })}
      />
    </div>
  );
}
