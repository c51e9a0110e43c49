/**
 * The live sentences under the wizard's bandit inputs, from what is typed: an arm's prior and the autofail
 * setting, said as the review and the experiment page say them (`../bandit-words.ts`), and nothing (or a
 * prompt) while an input is not a usable number yet.
 */
import type { BanditKind, RewardType } from '../api-types.ts';
import { armPriorWords, autofailSentence } from '../bandit-words.ts';
import { priorTypeOf } from './bandit-spec.ts';
import { parseNumber, parseWholeNumber } from './design-spec.ts';
import type { BanditSettings, WizardArm } from './state.ts';

const positive = (text: string) => {
  const n = parseNumber(text);
  return n !== null && n > 0 ? n : null;
};

/** The line under an arm's prior inputs; empty while one of them is not a usable number. */
export function typedPriorWords(arm: Pick<WizardArm, 'alpha' | 'beta' | 'mu' | 'sigma'>, kind: BanditKind, rewardType: RewardType): string {
  const design = { prior_type: priorTypeOf(kind, rewardType), reward_type: rewardType, experiment_type: kind };
  return armPriorWords(design, { alpha_init: positive(arm.alpha), beta_init: positive(arm.beta), mu_init: parseNumber(arm.mu), sigma_init: positive(arm.sigma) }).words;
}

/** The sentence under the autofail settings. */
export function typedAutofailWords(b: Pick<BanditSettings, 'autofail' | 'autofailWindow' | 'autofailValue' | 'rewardType'>): string {
  const hours = parseWholeNumber(b.autofailWindow);
  return autofailSentence(b.autofail, hours !== null && hours >= 1 ? hours : null, parseNumber(b.autofailValue), b.rewardType);
}
