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
