/**
 * Renaming or re-describing a committed experiment's arm: the form, its problems (checked here with the same
 * rules as the wizard's arms, so most never reach the server) and the patch, which carries only what changed.
 */
import type { ArmSpec } from '../api-types.ts';

export const ARM_NAME_MAX = 100;
export const ARM_DESCRIPTION_MAX = 2000;

export interface ArmForm {
  readonly name: string;
  readonly description: string;
}

export type ArmProblems = Partial<Record<keyof ArmForm, string>>;

export function armFormOf(arm: ArmSpec): ArmForm {
  return { name: arm.arm_name, description: arm.arm_description ?? '' };
}

/** `others`: the experiment's other arms, whose names this one must not take (results name arms). */
export function armProblems(form: ArmForm, others: readonly ArmSpec[]): ArmProblems {
  const out: { -readonly [K in keyof ArmForm]?: string } = {};
  const name = form.name.trim();
  const taken = others.find((a) => a.arm_name.trim().toLowerCase() === name.toLowerCase());
  if (name === '') out.name = 'Give the arm a name.';
  else if (name.length > ARM_NAME_MAX) out.name = `The name is longer than ${ARM_NAME_MAX} characters.`;
  else if (taken) out.name = `Another arm is already called “${taken.arm_name}”.`;
  if (form.description.length > ARM_DESCRIPTION_MAX) out.description = `The description is longer than ${ARM_DESCRIPTION_MAX} characters.`;
  return out;
}

export function armPatch(arm: ArmSpec, form: ArmForm): { name?: string; description?: string } {
  const name = form.name.trim();
  const description = form.description.trim();
  return {
    ...(name !== arm.arm_name ? { name } : {}),
    ...(description !== (arm.arm_description ?? '') ? { description } : {}),
  };
}
