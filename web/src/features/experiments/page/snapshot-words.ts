/** How both snapshot lists name a snapshot's state and time. */
export type SnapshotStatus = 'success' | 'running' | 'failed';

export const SNAPSHOT_STATUS: Record<SnapshotStatus, { label: string; tone: 'success' | 'info' | 'danger' }> = {
  success: { label: 'Done', tone: 'success' },
  running: { label: 'Being computed', tone: 'info' },
  failed: { label: 'Failed', tone: 'danger' },
};

/** Snapshot times to the second: two taken in the same minute still read (and are named) differently. */
export function snapshotTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** How long after its end date an experiment may still be snapshotted (the server's rule: 422 afterwards). */
const SNAPSHOT_GRACE_MS = 24 * 3_600_000;

/** Whether "Take a snapshot now" would be refused because the experiment ended more than a day ago. */
export function snapshotsClosed(endDate: string, now = Date.now()): boolean {
  return now > Date.parse(endDate) + SNAPSHOT_GRACE_MS;
}

export const SNAPSHOTS_CLOSED_NOTE = 'This experiment ended more than a day ago, so no new snapshot can be taken; the stored ones stay.';
