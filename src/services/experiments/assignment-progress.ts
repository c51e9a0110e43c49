/**
 * Progress of a preassignment while it runs. The assignments are written in one app-database transaction
 * (so they appear all at once or not at all), which means progress cannot be written to the database
 * between chunks: on PGlite the one connection is held by that transaction, and a second statement would
 * wait for it. So live progress is kept in this process (a map keyed by experiment id, read by
 * `experimentConfig`) and written to the server log; the experiment row carries the phase it was created
 * in and, in the same transaction as the rows, the final summary. Another API process sees `running`
 * until the data commits.
 */

export type AssignmentPhase = 'sampling' | 'assigning' | 'writing' | 'done';

export interface AssignmentProgress {
  readonly status: 'running' | 'done';
  readonly phase: AssignmentPhase;
  /** Assignment rows written so far (uncommitted until `done`). */
  readonly written: number;
  /** Participants to write; null until the cohort is known. */
  readonly total: number | null;
  readonly started_at: string;
  readonly updated_at: string;
  /** Wall time of the whole preassignment, once done. */
  readonly elapsed_ms?: number;
}

const live = new Map<string, AssignmentProgress>();

/** The running preassignment's progress in this process, if any. */
export function liveProgress(experimentId: string): AssignmentProgress | undefined {
  return live.get(experimentId);
}

/** Reports progress of one preassignment to the live map and the log. */
export class ProgressReporter {
  private readonly startedAt: Date;
  private lastLoggedShare = -1;
  private current: AssignmentProgress;

  constructor(
    readonly experimentId: string,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {
    this.startedAt = now();
    const at = this.startedAt.toISOString();
    this.current = { status: 'running', phase: 'sampling', written: 0, total: null, started_at: at, updated_at: at };
    live.set(experimentId, this.current);
  }

  get snapshot(): AssignmentProgress {
    return this.current;
  }

  phase(phase: AssignmentPhase, total: number | null = this.current.total): void {
    this.update({ phase, total });
    this.log(`[preassign ${this.experimentId}] ${phase}${total !== null ? ` ${total.toLocaleString('en-US')} participants` : ''}`);
  }

  /** Logs at most every tenth of the way, so a million rows make ten lines. */
  written(rows: number): void {
    this.update({ written: rows });
    const total = this.current.total ?? 0;
    const share = total > 0 ? Math.floor((rows / total) * 10) : 10;
    if (share !== this.lastLoggedShare) {
      this.lastLoggedShare = share;
      this.log(`[preassign ${this.experimentId}] wrote ${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} assignments`);
    }
  }

  /** The summary stored on the experiment row with the data. */
  done(): AssignmentProgress {
    const at = this.now();
    this.current = { ...this.current, status: 'done', phase: 'done', updated_at: at.toISOString(), elapsed_ms: at.getTime() - this.startedAt.getTime() };
    this.log(`[preassign ${this.experimentId}] done: ${this.current.written.toLocaleString('en-US')} assignments in ${this.current.elapsed_ms} ms`);
    return this.current;
  }

  /** Forgets the live entry (after commit or failure). */
  end(): void {
    live.delete(this.experimentId);
  }

  private update(change: Partial<AssignmentProgress>): void {
    this.current = { ...this.current, ...change, updated_at: this.now().toISOString() };
    live.set(this.experimentId, this.current);
  }
}
