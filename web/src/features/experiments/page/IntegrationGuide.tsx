/**
 * How a backend uses this experiment: the ids it needs, the datasource's API keys (a link to create one
 * when there is none — a key is shown once, on the datasource page, so keys do not pile up here), and the
 * server's sample calls as ready-to-run curl commands with the real ids. A bandit also learns from outcomes,
 * so its guide says when to report them and shows that call; a contextual bandit's calls (with its context
 * ids) are made here, since the server has none for it.
 */
import { Link } from 'react-router';
import { CopyButton, CopyValue } from '../../../ui/CopyButton.tsx';
import { Callout, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { Section } from '../../../ui/Page.tsx';
import type { ExperimentConfig, SampleCall } from '../api-types.ts';
import { banditDesignOf } from '../bandit-design.ts';
import { autofailWords } from '../bandit-words.ts';
import { useApiKeys, useSampleCalls } from '../queries.ts';
import { cmabSampleCalls } from './bandit/cmab-sample-calls.ts';

/** The datasource's page, where its API keys are created (shown once) and managed. */
export function apiKeysPage(datasourceId: string): string {
  return `/datasources/${encodeURIComponent(datasourceId)}#api-keys-title`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A sample call as a curl command: the key and participant come from shell variables (the sample's
 * `<your-api-key>` / `<participant-id>` placeholders would be read as redirections by a shell).
 */
export function curlFor(call: SampleCall, origin: string): string {
  const path = call.path.replaceAll('<participant-id>', '${PARTICIPANT_ID}');
  const lines = [`curl -s${call.method === 'GET' ? '' : ` -X ${call.method}`} "${origin}${path}"`];
  for (const [name, value] of Object.entries(call.headers)) {
    lines.push(value === '<your-api-key>' ? `-H "${name}: \${EQUIPOISE_API_KEY}"` : `-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (call.body !== undefined) lines.push(`-d ${shellQuote(JSON.stringify(call.body))}`);
  return lines.join(' \\\n  ');
}

export function IntegrationGuide({ config, organizationId }: { config: ExperimentConfig; organizationId: string }) {
  const ds = config.datasource_id;
  const calls = useSampleCalls(ds, config.experiment_id);
  const keys = useApiKeys(ds);
  const origin = window.location.origin;
  const activeKeys = (keys.data?.items ?? []).filter((k) => !k.expires_at || Date.parse(k.expires_at) > Date.now());
  const exampleParticipant = 'p000042';
  const preamble = `EQUIPOISE_API_KEY=xat_…   # one of the datasource's API keys\nPARTICIPANT_ID=${exampleParticipant}   # your participant's id`;
  const bandit = banditDesignOf(config);
  const contextual = bandit?.experiment_type === 'cmab_online';
  const shown = contextual && bandit ? { calls: cmabSampleCalls(config.experiment_id, bandit) } : calls.data;

  return (
    <Section id="integration" title="Integration guide">
      <p>Your backend asks Equipoise for each participant’s arm with an API key of this experiment’s datasource.</p>
      {bandit && (
        <p>
          {contextual ? 'Send the participant’s context values when you ask for an arm. ' : ''}
          When you learn how it went for a participant, report the outcome ({bandit.reward_type === 'binary' ? '1 for a success, 0 for a failure' : 'a number, higher is better'}) with
          the “Report outcome” call: each outcome updates that arm’s posterior at once, and later participants are drawn from it. Missing outcomes:{' '}
          {lowerFirst(autofailWords(bandit))}
        </p>
      )}
      <dl className="facts ids">
        <dt>Experiment id</dt>
        <dd>
          <CopyValue value={config.experiment_id} what="experiment id" />
        </dd>
        <dt>Datasource id</dt>
        <dd>
          <CopyValue value={ds} what="datasource id" />
        </dd>
        <dt>Organization id</dt>
        <dd>
          <CopyValue value={organizationId} what="organization id" />
        </dd>
      </dl>
      <h3>API key</h3>
      {keys.isPending ? (
        <Loading label="Checking the datasource’s API keys…" />
      ) : keys.isError ? (
        <ErrorCallout title="Could not list the datasource’s API keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : activeKeys.length === 0 ? (
        <Callout tone="warning" title="This datasource has no API key yet">
          <p>
            <Link to={apiKeysPage(ds)}>Create an API key on the datasource page</Link>. It is shown once, with ready-made snippets; store it in your backend’s secrets.
          </p>
        </Callout>
      ) : (
        <p>
          The datasource has {activeKeys.length} active API {activeKeys.length === 1 ? 'key' : 'keys'} ({activeKeys.map((k) => k.name || k.id).join(', ')}). A key’s secret is shown only
          when it is created; <Link to={apiKeysPage(ds)}>manage or create keys on the datasource page</Link>.
        </p>
      )}
      <h3>Sample calls</h3>
      {!contextual && calls.isPending ? (
        <Loading label="Loading sample calls…" />
      ) : !contextual && calls.isError ? (
        <ErrorCallout title="Could not load the sample calls" error={calls.error} onRetry={() => void calls.refetch()} />
      ) : !shown || shown.calls.length === 0 ? (
        <p className="muted">This kind of experiment has no sample calls.</p>
      ) : (
        <div className="stack">
          <p className="small muted">Set these two variables in your shell first:</p>
          <pre>{preamble}</pre>
          {shown.calls.map((call) => {
            const curl = curlFor(call, origin);
            return (
              <div key={call.label} className="sample-call">
                <div className="sample-call-head">
                  <h4>{call.label}</h4>
                  <CopyButton text={curl} what={`curl command: ${call.label}`} label="Copy curl" />
                </div>
                {/* Focusable, as in CodeBlock: long lines scroll sideways, and a keyboard has to reach them. */}
                <pre tabIndex={0} aria-label={`curl command: ${call.label}`}>
                  {curl}
                </pre>
                {call.example_response !== undefined && (
                  <details>
                    <summary>Example answer</summary>
                    <pre tabIndex={0} aria-label={`Example answer: ${call.label}`}>
                      {JSON.stringify(call.example_response, null, 2)}
                    </pre>
                  </details>
                )}
              </div>
            );
          })}
          <p className="small muted">
            The full API, with every route and field: <a href="/docs">API docs</a>.
          </p>
        </div>
      )}
    </Section>
  );
}
