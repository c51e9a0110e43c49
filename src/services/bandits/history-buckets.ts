/**
 * How a bandit's history is cut into time buckets. Buckets are aligned to the Unix epoch in UTC (an hour
 * bucket starts on the hour, a day bucket at 00:00 UTC), so the same instant always lands in the same
 * bucket whichever range is asked for. `auto` takes the smallest size from a ladder of round durations that
 * covers the span in at most AUTO_MAX_BUCKETS buckets: seconds for a bandit switched on a minute ago, days
 * for one that ran a quarter. A fixed size is refused when it would give more than FIXED_MAX_BUCKETS.
 */
import { ValidationError } from '../../domain/errors.ts';

export const BUCKET_CHOICES = ['auto', 'minute', 'hour', 'day'] as const;
export type BucketChoice = (typeof BUCKET_CHOICES)[number];

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** About what a chart can show as separate points. */
export const AUTO_MAX_BUCKETS = 60;
/** A fixed size past this many buckets is a mistake for a chart (a year in minutes is 525,600). */
export const FIXED_MAX_BUCKETS = 1_500;

const FIXED_MS: Record<Exclude<BucketChoice, 'auto'>, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

const AUTO_LADDER_MS = [
  SECOND_MS,
  5 * SECOND_MS,
  15 * SECOND_MS,
  30 * SECOND_MS,
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  7 * DAY_MS,
] as const;

export interface BucketGrid {
  readonly sizeMs: number;
  /** Index of the first bucket: its start is `first * sizeMs` ms after the epoch. */
  readonly first: number;
  readonly count: number;
}

/** Bucket index of an instant (epoch milliseconds). */
export function bucketIndex(t: number, sizeMs: number): number {
  return Math.floor(t / sizeMs);
}

function gridOf(firstMs: number, lastMs: number, sizeMs: number): BucketGrid {
  const first = bucketIndex(firstMs, sizeMs);
  return { sizeMs, first, count: bucketIndex(lastMs, sizeMs) - first + 1 };
}

/**
 * The buckets covering [firstMs, lastMs] at the chosen size.
 * @example bucketGrid('auto', Date.parse('2026-06-01T12:00:00Z'), Date.parse('2026-06-01T12:10:00Z'))
 *   // { sizeMs: 15_000, first: …, count: 41 }
 */
export function bucketGrid(choice: BucketChoice, firstMs: number, lastMs: number): BucketGrid {
  if (choice !== 'auto') {
    const grid = gridOf(firstMs, lastMs, FIXED_MS[choice]);
    if (grid.count > FIXED_MAX_BUCKETS) {
      throw new ValidationError([
        {
          loc: ['query', 'bucket'],
          msg: `${choice} buckets would cut this history into ${grid.count} buckets (at most ${FIXED_MAX_BUCKETS}); choose a longer bucket or auto.`,
          type: 'value_error',
        },
      ]);
    }
    return grid;
  }
  for (const size of AUTO_LADDER_MS) {
    const grid = gridOf(firstMs, lastMs, size);
    if (grid.count <= AUTO_MAX_BUCKETS) return grid;
  }
  // Longer than the ladder covers (over a year): whole days, enough of them to stay within the limit.
  let days = Math.ceil((lastMs - firstMs) / DAY_MS / (AUTO_MAX_BUCKETS - 1));
  while (gridOf(firstMs, lastMs, days * DAY_MS).count > AUTO_MAX_BUCKETS) days++;
  return gridOf(firstMs, lastMs, days * DAY_MS);
}
