/**
 * The experiment lifecycle: `assigned` is the draft every experiment starts in (preassigned ones already
 * hold their assignments); `commit` and `abandon` lead to the two terminal states. Repeating a transition
 * that already happened is a no-op; anything else is a conflict.
 */
import { ConflictError } from './errors.ts';

export const EXPERIMENT_STATES = Object.freeze(['assigned', 'committed', 'abandoned'] as const);
export type ExperimentState = (typeof EXPERIMENT_STATES)[number];

export type Transition = 'commit' | 'abandon';

const TARGET: Record<Transition, ExperimentState> = { commit: 'committed', abandon: 'abandoned' };

/** Returns the new state, or `null` when the experiment is already there (nothing to do). */
export function transition(current: ExperimentState, action: Transition): ExperimentState | null {
  const target = TARGET[action];
  if (current === target) return null;
  if (current !== 'assigned') throw new ConflictError(`Invalid state: ${current}`);
  return target;
}
