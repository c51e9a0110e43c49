/**
 * A contextual bandit's context vector: one value per declared context, ordered by context id (the order the
 * reference stores `context_vals` in, whatever order the client sent them in). The checks and messages are
 * the reference's (§1.3 #7): exactly one value per context, matched by id, and binary contexts 0 or 1.
 */
import { ValidationError, type IssueLocation } from './errors.ts';
import type { ContextValueType } from './bandit-design-spec.ts';

export interface ContextDefinition {
  readonly context_id: string;
  readonly context_name: string;
  readonly context_description: string;
  readonly value_type: ContextValueType;
}

export interface ContextInput {
  readonly context_id: string;
  readonly context_value: number;
}

/** Definitions in vector order (by id, code-point order as the reference's Python sort). */
export function contextsInVectorOrder(definitions: readonly ContextDefinition[]): ContextDefinition[] {
  return [...definitions].sort((a, b) => (a.context_id < b.context_id ? -1 : a.context_id > b.context_id ? 1 : 0));
}

/**
 * The context vector for `inputs`, or a 422 in the reference's words. `loc` is where the list sits in the
 * request (`["body", "context_inputs"]`), so each problem names its item.
 * @example contextVector(defs, [{ context_id: 'ctx_b', context_value: 0.5 }, { context_id: 'ctx_a', context_value: 1 }]) // [1, 0.5]
 */
export function contextVector(
  definitions: readonly ContextDefinition[],
  inputs: readonly ContextInput[] | null | undefined,
  loc: IssueLocation = ['body', 'context_inputs'],
): number[] {
  if (inputs == null) {
    throw new ValidationError([{ loc, msg: 'Context values are required for contextual multi-armed bandit experiments', type: 'late' }]);
  }
  const defs = contextsInVectorOrder(definitions);
  const given = inputs.map((input, index) => ({ input, index })).sort((a, b) => (a.input.context_id < b.input.context_id ? -1 : a.input.context_id > b.input.context_id ? 1 : 0));
  if (given.length !== defs.length) {
    throw new ValidationError([{ loc, msg: `Expected ${defs.length} context inputs, but got ${given.length} in CreateCMABAssignmentRequest.`, type: 'late' }]);
  }
  return defs.map((def, k) => {
    const { input, index } = given[k] as { input: ContextInput; index: number };
    if (input.context_id !== def.context_id) {
      throw new ValidationError([
        { loc: [...loc, index, 'context_id'], msg: `Context input for id ${input.context_id} does not match expected context id ${def.context_id}`, type: 'late' },
      ]);
    }
    if (def.value_type === 'binary' && input.context_value !== 0 && input.context_value !== 1) {
      throw new ValidationError([{ loc: [...loc, index, 'context_value'], msg: `Context value for id ${input.context_id} must be binary (0 or 1).`, type: 'late' }]);
    }
    return input.context_value;
  });
}
