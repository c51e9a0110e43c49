/**
 * The one error the power analysis throws (reference: `StatsPowerError`). Problems that are a normal
 * answer (no baseline, no variation…) are messages on the result instead; this is for inputs the
 * calculation cannot run on. The API maps it to 422 with type "power calc".
 */
export class PowerCalcError extends Error {
  override readonly name = 'PowerCalcError';
  constructor(
    message: string,
    /** The metric's field name, when the error concerns one metric. */
    readonly fieldName: string | null = null,
  ) {
    super(message);
  }
}

export const SAMPLE_TOO_SMALL =
  'Your sample size is too small to perform a power calculation. Increase the number of available units or the desired sample size.';
export const UNABLE_TO_SOLVE =
  'Unable to perform the power calculation with these inputs: no sample size or effect size reaches the requested power. Check the power, alpha and effect size.';
export const CLUSTERING_INFLATES =
  "Clustering inflates the required sample size so much that this power calculation can't run: after the design effect fewer than 2 effective units remain in some arm. Increase the sample size or use more, smaller clusters.";
