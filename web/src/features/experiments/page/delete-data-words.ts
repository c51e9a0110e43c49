/**
 * What "Delete data" removes, in words, before the person confirms: with the counts the page knows, what the
 * public API answers afterwards (as if nobody had been assigned), and what stays. The words differ by kind of
 * experiment because the consequences do: a preassigned experiment never assigns again, an online one assigns
 * afresh, a bandit also forgets what it learned.
 */
import type { ExperimentConfig } from '../api-types.ts';
import { banditDesignOf } from '../bandit-design.ts';

export type DataKind = 'preassigned' | 'online' | 'bandit';

export interface DataChoice {
  readonly assignments: boolean;
  readonly snapshots: boolean;
}

export interface DataCounts {
  /** Assignments (A/B) or draws (bandits), as the arms table counts them. */
  readonly assignments: number;
  /** Null while the snapshot list is loading or could not be read. */
  readonly snapshots: number | null;
  /** The list was cut at its page size, so `snapshots` is a lower bound. */
  readonly moreSnapshots: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;

export function dataKindOf(config: Pick<ExperimentConfig, 'design_spec'>): DataKind {
  if (banditDesignOf(config)) return 'bandit';
  return config.design_spec.experiment_type === 'freq_preassigned' ? 'preassigned' : 'online';
}

/** The assignments checkbox's label: bandits call them draws. */
export function assignmentsLabel(kind: DataKind, count: number): string {
  return kind === 'bandit' ? `Draws and their outcomes (${fmt(count)})` : `Assignments (${fmt(count)})`;
}

export function snapshotsLabel(counts: DataCounts): string {
  if (counts.snapshots === null) return 'Snapshots';
  return `Snapshots (${counts.moreSnapshots ? 'more than ' : ''}${fmt(counts.snapshots)})`;
}

function snapshotWords(counts: DataCounts): string {
  if (counts.snapshots === null) return 'every snapshot';
  if (counts.snapshots === 0 && !counts.moreSnapshots) return 'the snapshots (there are none yet)';
  return `${counts.moreSnapshots ? 'more than ' : counts.snapshots === 1 ? 'the ' : 'all '}${plural(counts.snapshots, 'snapshot', 'snapshots')}`;
}

/**
 * The sentences of the confirmation, in order; empty when nothing is chosen. `stoppedAtTarget`: assignment
 * stopped because the target size was reached, a stop that deleting the assignments lifts.
 */
export function deletionSentences(kind: DataKind, choice: DataChoice, counts: DataCounts, stoppedAtTarget = false): string[] {
  const out: string[] = [];
  const n = counts.assignments;
  if (choice.assignments) {
    if (kind === 'preassigned') {
      out.push(
        `This deletes the ${plural(n, 'assignment', 'assignments')} made when the experiment was created.`,
        'The public API then answers as if nobody had been assigned: your backend gets no arm for any participant, and a preassigned experiment does not assign anyone again.',
      );
    } else if (kind === 'online') {
      out.push(
        `This deletes the ${plural(n, 'assignment', 'assignments')}.`,
        'The public API then answers as if nobody had been assigned: each participant gets an arm afresh the next time your backend asks, possibly a different one.',
      );
    } else {
      out.push(
        `This deletes the ${plural(n, 'draw', 'draws')} with their outcomes, and every arm’s belief goes back to its starting prior.`,
        'The public API then answers as if nobody had been drawn: each participant is drawn afresh the next time your backend asks, and outcomes reported for earlier draws are refused.',
      );
    }
    if (stoppedAtTarget) out.push('Assignment had stopped at the target size; it starts again, counting from zero.');
  }
  if (choice.snapshots) {
    out.push(
      choice.assignments
        ? `It also deletes ${snapshotWords(counts)}, the history of the results.`
        : `This deletes ${snapshotWords(counts)}, the history of the results. ${kind === 'bandit' ? 'The draws, outcomes' : 'The assignments'} and the live results stay.`,
    );
  }
  if (out.length > 0) out.push('The design, the arms and the registry stay. This cannot be undone.');
  return out;
}

/** The toast after a deletion. */
export function deletedToast(kind: DataKind, choice: DataChoice): string {
  const what = [choice.assignments ? (kind === 'bandit' ? 'draws' : 'assignments') : '', choice.snapshots ? 'snapshots' : ''].filter(Boolean).join(' and ');
  return `The ${what} were deleted.`;
}
