/**
 * The reference's power messages: the same templates, `values` and rendering, so clients that show
 * `msg` or re-render `source_msg` see identical text. Numbers render as Python's `str.format` does (floats
 * always carry a decimal point, exponents from 1e16 or below 1e-4), because the reference's values are
 * Python ints and floats.
 */
import type { PowerMessage, PowerMessageType } from './power-types.ts';

export const NO_AVAILABLE_N =
  'You have no available units to run your experiment. Adjust your filters to target more units.';
export const NO_NONNULL_UNITS =
  'You have no units with non-null values for this metric. Adjust your filters to target units with non-null values.';
export const NO_BASELINE =
  'Could not calculate metric baseline with given specification. Provide a metric baseline or adjust filters.';
export const ZERO_VARIATION =
  'There is no variation in the metric with the given filters. Standard deviation must be positive to do a sample size calculation.';
export const ZERO_EFFECT_SIZE = 'Cannot detect an effect-size of 0. Try changing your effect-size.';

const BASE_STATS =
  'There are {available_n} units available to run your experiment and a minimum of {target_n} units are needed to meet your experimental design specs.';
const ENOUGH = 'There are enough units available.';
const NOT_ENOUGH =
  'There are not enough non-null valued units available. You need {additional_n_needed} more units to meet your specified metric target of {metric_target}. Alternatively, with the available {available_nonnull_n} non-null units and a metric baseline of {metric_baseline}, your metric target should be {target_possible} or further from the baseline. ';
const NOT_ENOUGH_NO_MDE =
  'There are not enough non-null valued units available. You need {additional_n_needed} more units to meet your specified metric target of {metric_target}. With the available {available_nonnull_n} non-null units no change of this metric can be detected with the requested power. ';
const NULL_WARNING =
  'WARNING: There are {available_nonnull_n} units with a non-null value out of the {available_n} available.  The power calculation was done with only units with a value present, but random assignment is performed over all available units meeting your filters, including those with a missing value. If you do not want that, add a filter on this metric to exclude nulls.';

/** Values the reference holds as Python floats (rounded to 4 dp); the rest are ints. */
const FLOAT_KEYS = new Set(['metric_baseline', 'metric_target', 'target_possible']);

/** A message with no values (errors reported as answers). */
export function plainMessage(type: PowerMessageType, text: string): PowerMessage {
  return { type, msg: text, source_msg: text, values: null, high_cluster_variation: null };
}

export interface SampleSizeFacts {
  readonly availableN: number;
  readonly effectiveN: number;
  readonly hasNulls: boolean;
  readonly targetN: number;
  readonly sufficient: boolean;
  readonly baseline: number;
  readonly target: number;
  /** Null when no target is reachable (see effect-size.ts). */
  readonly targetPossible: number | null;
}

/**
 * The sample-size-mode message: base sentence, verdict, optional null warning, joined by single spaces
 * exactly as the reference joins them (hence a trailing space when there is no warning).
 */
export function sampleSizeMessage(facts: SampleSizeFacts): PowerMessage {
  const values: Record<string, number> = {
    available_n: facts.availableN,
    target_n: facts.targetN,
    available_nonnull_n: facts.effectiveN,
  };
  let body = ENOUGH;
  if (!facts.sufficient) {
    values.additional_n_needed = facts.targetN - facts.effectiveN;
    values.metric_baseline = roundHalfEven(facts.baseline, 4);
    if (facts.targetPossible !== null) values.target_possible = roundHalfEven(facts.targetPossible, 4);
    values.metric_target = roundHalfEven(facts.target, 4);
    body = facts.targetPossible === null ? NOT_ENOUGH_NO_MDE : NOT_ENOUGH;
  }
  const sourceMsg = [BASE_STATS, body, facts.hasNulls ? NULL_WARNING : ''].join(' ');
  return {
    type: facts.sufficient ? 'sufficient' : 'insufficient',
    msg: fillTemplate(sourceMsg, values),
    source_msg: sourceMsg,
    values,
    high_cluster_variation: null,
  };
}

/** Replaces `{key}` by the value rendered as Python would. */
export function fillTemplate(template: string, values: Readonly<Record<string, number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    return FLOAT_KEYS.has(key) ? pythonFloat(value) : String(value);
  });
}

/**
 * Python's `repr(float)`: shortest round-trip digits (as JavaScript), but `100.0` not `100`, and
 * exponent notation `1e-05` / `1e+16` at Python's thresholds.
 * @example pythonFloat(100) // '100.0'
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * Python's `round(x, digits)`: correctly rounded, ties (exactly representable halves) to even.
 * @example roundHalfEven(1.03125, 4) // 1.0312
 */
export function roundHalfEven(x: number, digits: number): number {
  const scaled = Number(x.toFixed(digits));
  const longer = x.toFixed(digits + 1);
  // A true tie is a value whose exact decimal expansion ends in 5 right after the kept digits.
  if (longer.endsWith('5') && Number(longer) === x) {
    const down = Number(longer.slice(0, -1));
    const lastKept = Number(longer.slice(-2, -1));
    return lastKept % 2 === 0 ? down : scaled;
  }
  return scaled;
}
