/**
 * Assigning a preassigned cohort (spec §6.1 steps 5–6): stratified randomisation on the strata (and the
 * metrics, unless `stratify_on_metrics=false`) with `assignStratified`, or whole clusters with
 * `assignClusters`; then the balance check of all arms on the same covariates. Pure apart from its input:
 * the same cohort and seed always give the same arms.
 */
import { ValidationError } from '../../domain/errors.ts';
import { BalanceError, checkBalance, checkBalanceOfColumns, type BalanceResult } from '../../stats/balance.ts';
import { assignClusters } from '../../stats/cluster-assignment.ts';
import { AssignmentError, assignStratified } from '../../stats/stratified-assignment.ts';
import type { Cohort } from './preassign-cohort.ts';

export interface Preassignment {
  /** Arm index per participant, aligned with the cohort's ids. */
  readonly arms: Uint16Array;
  readonly armSizes: readonly number[];
  /** Clusters per arm, for cluster designs. */
  readonly armClusterCounts: readonly number[] | null;
  readonly balanceCheck: BalanceResult | null;
}

export interface PreassignOptions {
  /** Relative arm weights, one per arm. */
  readonly weights: readonly number[];
  readonly seed: number;
  readonly primaryKey: string;
  readonly fstatThresh: number;
}

const late = (msg: string, path: (string | number)[] = []) => new ValidationError([{ loc: ['body', 'design_spec', ...path], msg, type: 'late' }]);

/** @example preassign(cohort, { weights: [1, 1], seed: 7, primaryKey: 'id', fstatThresh: 0.6 }).armSizes */
export function preassign(cohort: Cohort, options: PreassignOptions): Preassignment {
  try {
    if (cohort.clusterKeys !== null) {
      const assigned = assignClusters(cohort.clusterKeys, { weights: options.weights, seed: options.seed });
      const hasCovariates = Object.keys(cohort.columns).length > 0;
      const balanceCheck = hasCovariates
        ? checkBalanceOfColumns(cohort.columns, assigned.arms, { fstat_thresh: options.fstatThresh, clusters: cohort.clusterKeys })
        : null;
      return { arms: assigned.arms, armSizes: assigned.armSizes, armClusterCounts: assigned.armClusterCounts, balanceCheck };
    }
    const assigned = assignStratified(cohort.columns, { weights: options.weights, seed: options.seed, idColumn: options.primaryKey });
    const balanceCheck = checkBalance(assigned.preprocessed, assigned.arms, { fstat_thresh: options.fstatThresh });
    return { arms: assigned.arms, armSizes: assigned.armSizes, armClusterCounts: null, balanceCheck };
  } catch (err) {
    if (err instanceof BalanceError) {
      throw late(`Too few participants to perform a balance check: ${err.message} Increase desired_n or relax the filters.`, ['desired_n']);
    }
    if (err instanceof AssignmentError) throw late(err.message, ['strata']);
    throw err;
  }
}
