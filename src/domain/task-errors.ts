/**
 * Errors a task handler throws to steer the worker. Any other error means "try again later" under the
 * retry policy; these say that trying again cannot help.
 */

/** The task can never succeed (its webhook was deleted, its payload is malformed): mark it dead now. */
export class PermanentTaskError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentTaskError';
  }
}
