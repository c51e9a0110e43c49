/**
 * `/events`: the organization's Recent Events, newest first, paged by cursor and filtered by type (kept in
 * the address, so a reload or a shared link keeps it). The page refreshes itself every 15 seconds while the
 * tab is visible, keeping the page the user is on and any open details (which hold their own copy).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { SelectField } from '../../ui/Field.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { PageHeader } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { useEventTypes } from '../webhooks/api.ts';
import { eventKeys, eventLinks, eventsPath, LOG_ONLY_TYPES, type EventPage, type EventSummary } from './api.ts';
import { EventDetailsDialog, ResendDialog } from './EventDetailsDialog.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const PAGE_SIZE = 20;
export const REFRESH_MS = 15_000;

export function EventsPage() {
  const { current } = useOrganization();
  const [params, setParams] = useSearchParams();
  const typeInAddress = params.get('type') ?? '';
  // The filter lives in this state and is mirrored into the address. Read back only changes we did not
  // write: the address lags a render behind, so a select driven by it snapped back between fast key presses.
  const [type, setType] = useState(typeInAddress);
  const written = useRef<string[]>([]);
  useEffect(() => {
    const at = written.current.indexOf(typeInAddress);
    if (at >= 0) written.current.splice(0, at + 1);
    else setType(typeInAddress);
  }, [typeInAddress]);
  const pages = usePageTokens();
  const [open, setOpen] = useState<EventSummary | null>(null);
  const [resending, setResending] = useState<EventSummary | null>(null);
  const catalogue = useEventTypes();
  const events = useQuery({
    queryKey: eventKeys.page(current.id, type, pages.token ?? ''),
    queryFn: () => api.get<EventPage>(eventsPath(current.id), { page_size: PAGE_SIZE, page_token: pages.token, type: type || undefined }),
    placeholderData: keepPreviousData,
    // TanStack pauses the interval while the tab is hidden, so a forgotten tab costs nothing.
    refetchInterval: REFRESH_MS,
  });

  const typeOptions = [
    { value: '', label: 'All event types' },
    ...[...LOG_ONLY_TYPES, ...(catalogue.data?.items.map((t) => t.type) ?? [])].sort().map((t) => ({ value: t, label: t })),
  ];
  if (type && !typeOptions.some((o) => o.value === type)) typeOptions.push({ value: type, label: type });

  const items = events.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Recent events"
        actions={
          <>
            {events.dataUpdatedAt > 0 && (
              <span className="muted small updated-at" aria-live="off">
                Updated {new Date(events.dataUpdatedAt).toLocaleTimeString()}
              </span>
            )}
            <Button busy={events.isFetching && !events.isPending} onClick={() => void events.refetch()}>
              Refresh
            </Button>
          </>
        }
      >
        <p className="muted wh-intro">
          What happened in this organization, newest first: experiments created and changed, and every webhook delivery attempt. Refreshes every 15 seconds.
        </p>
      </PageHeader>

      <div className="ev-filters">
        <SelectField
          label="Event type"
          options={typeOptions}
          value={type}
          onChange={(e) => {
            const next = e.target.value;
            setType(next);
            pages.reset();
            written.current.push(next);
            setParams(next ? { type: next } : {}, { replace: true });
          }}
        />
      </div>

      {events.isPending && <Loading label="Loading events…" />}
      {events.isError && <ErrorCallout title="Could not load the events" error={events.error} onRetry={() => void events.refetch()} />}
      {events.data && items.length === 0 && (
        <EmptyState title={type ? `No ${type} events` : 'No events yet'}>
          {type
            ? 'Nothing of this type has happened yet. Choose “All event types” to see everything.'
            : 'Events appear here when experiments are created or changed and when webhooks are sent.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="section table-wrap">
          <table className="table events-table" aria-busy={events.isPlaceholderData || undefined}>
            <caption className="visually-hidden">Recent events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Time</th>
                <th scope="col">Summary</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <EventRow key={e.id} event={e} onDetails={() => setOpen(e)} onResend={() => setResending(e)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Events" page={pages.page} nextToken={events.data?.next_page_token || undefined} loading={events.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} />

      <EventDetailsDialog event={open} onClose={() => setOpen(null)} onResend={() => setResending(open)} />
      <ResendDialog event={resending} onClose={() => setResending(null)} />
    </>
  );
}

function EventRow({ event, onDetails, onResend }: { event: EventSummary; onDetails: () => void; onResend: () => void }) {
  const links = eventLinks(event);
  return (
    <tr>
      <td>
        <code>{event.type}</code>
      </td>
      <td className="ev-nowrap">
        <time dateTime={event.created_at} title={event.created_at}>
          {formatDateTime(event.created_at)}
        </time>
      </td>
      <td>
        <StatusBadge status={event.status_icon} /> <span className="event-summary">{event.summary}</span>
      </td>
      <td className="wh-row-actions">
        <Button size="small" onClick={onDetails} aria-label={`Details of ${event.summary}`}>
          Details
        </Button>
        {event.type === 'webhook.sent' && (
          <Button size="small" variant="ghost" onClick={onResend} aria-label={`Resend ${event.summary}`}>
            Resend
          </Button>
        )}
        {links.experiment && (
          <Link className="btn btn-small btn-ghost" to={links.experiment}>
            Experiment
          </Link>
        )}
        {links.webhook && (
          <Link className="btn btn-small btn-ghost" to={links.webhook}>
            Webhook
          </Link>
        )}
      </td>
    </tr>
  );
}
