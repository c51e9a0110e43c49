/**
 * What state an experiment is in, in the experimenter's words. The lifecycle state (draft, committed,
 * abandoned) comes from the server; whether a committed experiment is upcoming, running or finished comes
 * from its dates; and an assignment stop is reported with its reason, because the reference's list showed
 * "running" for experiments that had quietly stopped assigning (its weakness §5.13).
 */
import type { ExperimentConfig, ExperimentType } from './api-types.ts';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export interface StatusBadge {
  readonly label: string;
  readonly tone: Tone;
  /** A sentence for a tooltip or the page, saying what the status means for the user. */
  readonly explanation: string;
}

const TYPE_LABELS: Record<ExperimentType, string> = {
  freq_preassigned: 'Preassigned A/B',
  freq_online: 'Online A/B',
  mab_online: 'Bandit',
  mab_online_dwh: 'Bandit (warehouse)',
  cmab_online: 'Contextual bandit',
};

export function experimentTypeLabel(type: string): string {
  return TYPE_LABELS[type as ExperimentType] ?? type;
}

/** The lifecycle badge: draft / committed phase from dates / abandoned. */
export function lifecycleStatus(config: Pick<ExperimentConfig, 'state' | 'design_spec'>, now: Date = new Date()): StatusBadge {
  if (config.state === 'assigned') {
    return { label: 'Draft', tone: 'warning', explanation: 'Created but not committed: your backend cannot see it yet. Commit it or abandon it.' };
  }
  if (config.state === 'abandoned') return { label: 'Abandoned', tone: 'neutral', explanation: 'Abandoned before it was committed; nothing was sent to your backend.' };
  const start = Date.parse(config.design_spec.start_date);
  const end = Date.parse(config.design_spec.end_date);
  if (now.getTime() < start) return { label: 'Upcoming', tone: 'info', explanation: 'Committed; it starts on its start date.' };
  if (now.getTime() > end) return { label: 'Finished', tone: 'neutral', explanation: 'Its end date has passed.' };
  return { label: 'Running', tone: 'success', explanation: 'Committed and between its start and end dates.' };
}

const STOP_REASONS: Record<string, { label: string; explanation: string }> = {
  manual: { label: 'Stopped by hand', explanation: 'Someone stopped new assignments. Existing assignments are still returned; resume to assign again.' },
  end_date: { label: 'Stopped: end date passed', explanation: 'No new assignments after the end date. Move the end date later to assign again.' },
  target_n: { label: 'Stopped: target reached', explanation: 'The target sample size was reached, so new participants are no longer assigned.' },
};

/**
 * The assignment stop, or null when participants are still being assigned (or, for preassigned designs,
 * were all assigned at creation: that "stop" is how they work, not news).
 */
export function stopStatus(config: Pick<ExperimentConfig, 'stopped_assignments_reason' | 'stopped_assignments_at'>): StatusBadge | null {
  const reason = config.stopped_assignments_reason;
  if (!config.stopped_assignments_at || !reason || reason === 'preassigned') return null;
  const known = STOP_REASONS[reason];
  return known ? { ...known, tone: 'warning' } : { label: `Stopped (${reason})`, tone: 'warning', explanation: 'New assignments are stopped.' };
}

/** Dates of a design are instants in UTC; shown as UTC calendar dates so every viewer sees the same day. */
export function formatUtcDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** `YYYY-MM-DD` of an instant in UTC, for date inputs. */
export function utcDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/**
 * The instants a date range is stored as: the start date's first second and the end date's last, so a
 * range reads as inclusive ("1 to 31 December") and a one-day experiment is possible.
 */
export function startOfDay(day: string): string {
  return `${day}T00:00:00Z`;
}

export function endOfDay(day: string): string {
  return `${day}T23:59:59Z`;
}

/** Today as a UTC calendar day, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
