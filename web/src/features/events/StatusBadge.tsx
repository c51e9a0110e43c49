import { Badge } from '../../ui/Callout.tsx';
import type { EventSummary } from './api.ts';

/** The event's outcome as a word and a colour, never colour alone. */
export function StatusBadge({ status }: { status: EventSummary['status_icon'] }) {
  if (status === 'success') return <Badge tone="success">Success</Badge>;
  if (status === 'failure') return <Badge tone="danger">Failure</Badge>;
  return <Badge tone="info">Info</Badge>;
}
