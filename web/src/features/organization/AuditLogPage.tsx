/**
 * `/settings/audit`: who changed what in the organization, newest first, a page at a time (the API's
 * cursor; Previous walks back through the tokens seen), each entry's details behind a real button, and
 * the result of re-checking the log's hash chain in plain words.
 */
import { Fragment, useState } from 'react';
import { useSession } from '../../auth/session.tsx';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, Callout, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { JsonBlock } from '../../ui/CodeBlock.tsx';
import { formatRelative } from '../../ui/format.ts';
import { PageHeader, Section } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { useAuditPage, useAuditVerification, type AuditEntry } from './api.ts';
import { describeAction, describeActor, describeTarget, verificationWords } from './audit-words.ts';
import { SettingsNav } from './SettingsNav.tsx';

export function AuditLogPage() {
  const { current } = useOrganization();
  return (
    <>
      <PageHeader title="Audit log">
        <SettingsNav />
        <p className="muted section-intro">
          Every change to {current.name} — members, invites, API keys, webhooks, experiments — with who made it and when. Entries are sealed in a chain as they are
          written and can never be edited.
        </p>
      </PageHeader>
      <VerificationSection organizationId={current.id} />
      <EntriesSection organizationId={current.id} />
    </>
  );
}

function VerificationSection({ organizationId }: { organizationId: string }) {
  const check = useAuditVerification(organizationId);
  return (
    <Section
      title="Integrity check"
      id="audit-verification"
      actions={
        <Button size="small" busy={check.isFetching} onClick={() => void check.refetch()}>
          Check again
        </Button>
      }
    >
      {check.isPending && <Loading label="Recomputing the log’s chain of seals…" />}
      {check.isError && <ErrorCallout title="Could not check the log" error={check.error} onRetry={() => void check.refetch()} />}
      {check.data && <VerificationResult words={verificationWords(check.data)} checkedAt={check.dataUpdatedAt} />}
    </Section>
  );
}

function VerificationResult({ words, checkedAt }: { words: ReturnType<typeof verificationWords>; checkedAt: number }) {
  return (
    <div aria-live="polite">
      <Callout tone={words.tone} title={words.title} role={words.tone === 'danger' ? 'alert' : 'status'}>
        {words.body.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </Callout>
      <p className="small muted">Checked {formatRelative(new Date(checkedAt).toISOString())}.</p>
    </div>
  );
}

function EntriesSection({ organizationId }: { organizationId: string }) {
  const pages = usePageTokens();
  const log = useAuditPage(organizationId, pages.token);
  const check = useAuditVerification(organizationId);
  const brokenAt = check.data?.valid === false ? check.data.first_invalid_id : null;
  const { me } = useSession();
  return (
    <Section title="Entries" id="audit-entries">
      {log.isPending && <Loading label="Loading the audit log…" />}
      {log.isError && <ErrorCallout title="Could not load the audit log" error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && log.data.items.length === 0 && pages.page === 1 && <EmptyState title="No entries yet">Changes made in this organization will be listed here.</EmptyState>}
      {log.data && log.data.items.length > 0 && (
        // Keyed by page: expanded details belong to the page they were opened on.
        <EntriesTable key={pages.token ?? ''} items={log.data.items} busy={log.isPlaceholderData} brokenAt={brokenAt} myUserId={me?.id} />
      )}
      {log.data && (
        <Pager page={pages.page} nextToken={log.data.next_page_token || undefined} loading={log.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} label="Audit log" />
      )}
    </Section>
  );
}

/** To the second: entries made within one minute are common, and their order is part of the story. */
function formatAuditTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function EntriesTable({ items, busy, brokenAt, myUserId }: { items: readonly AuditEntry[]; busy: boolean; brokenAt: string | null; myUserId: string | undefined }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="table-wrap">
      <table className="table audit-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Audit log entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const expanded = open.has(e.id);
            const target = describeTarget(e);
            const action = describeAction(e.action);
            const detailsId = `audit-details-${e.id}`;
            return (
              <Fragment key={e.id}>
                <tr className={e.id === brokenAt ? 'audit-broken' : undefined}>
                  <td className="audit-time">
                    <time dateTime={e.created_at} title={e.created_at}>
                      {formatAuditTime(e.created_at)}
                    </time>
                  </td>
                  <td className="audit-actor">{describeActor(e, myUserId)}</td>
                  <th scope="row" className="audit-action">
                    {action}
                    {action !== e.action && <code className="audit-code">{e.action}</code>}
                    {e.id === brokenAt && <Badge tone="danger">Chain breaks here</Badge>}
                  </th>
                  <td className="audit-target">
                    <span className="muted">{target.kind}</span> {target.name && <strong>{target.name}</strong>}
                    <code className="audit-code">{target.id}</code>
                  </td>
                  <td className="actions">
                    <Button size="small" aria-expanded={expanded} aria-controls={detailsId} aria-label={`Details of “${action}” at ${formatAuditTime(e.created_at)}`} onClick={() => toggle(e.id)}>
                      {expanded ? 'Hide details' : 'Details'}
                    </Button>
                  </td>
                </tr>
                <tr id={detailsId} className="audit-details-row" hidden={!expanded}>
                  <td colSpan={5}>{expanded && <EntryDetails entry={e} />}</td>
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const hasDetails = Object.keys(entry.details).length > 0;
  return (
    <div className="audit-details">
      <dl className="facts">
        <dt>Entry</dt>
        <dd>
          <code>{entry.id}</code>
        </dd>
        <dt>Actor</dt>
        <dd>
          {entry.actor_type} <code>{entry.actor_id}</code>
        </dd>
        <dt>Target</dt>
        <dd>
          {entry.target_type} <code>{entry.target_id}</code>
        </dd>
        <dt>Recorded at</dt>
        <dd>
          <code>{entry.created_at}</code>
        </dd>
        <dt>Seal</dt>
        <dd>
          <code className="audit-hash">{entry.hash}</code>
        </dd>
        <dt>Previous seal</dt>
        <dd>
          <code className="audit-hash">{entry.prev_hash}</code>
        </dd>
      </dl>
      {hasDetails ? <JsonBlock value={entry.details} label={`details of entry ${entry.id}`} title="Details" /> : <p className="muted small">This entry records no further details.</p>}
    </div>
  );
}
