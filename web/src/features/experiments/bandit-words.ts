/**
 * A bandit's design in plain words, said the same way in the wizard, on its review and on the experiment
 * page: what an outcome is, which prior the arms start from and what each arm's prior believes, how a
 * missing outcome is counted (autofail), and each context's kind. Pure functions of numbers and of the
 * design as the API has it (`api-types.ts`); the wizard's live hints parse what is typed first
 * (`wizard/typed-bandit-words.ts`).
 */
import type { BanditArmSpec, BanditContextSpec, BanditDesignSpec, RewardType } from './api-types.ts';

/** Four significant digits: priors are typed by people, so more digits are noise. */
const p4 = (n: number) => Number(n.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
/** The same without thousands separators, for parameters written between commas: "Beta(α 1000, β 2)". */
const param = (n: number) => String(Number(n.toPrecision(4)));
const pct = (p: number) => `${Number((p * 100).toPrecision(3))}%`;

/**
 * What a Beta prior believes: its expected success rate α/(α+β), and how firmly, as a number of outcomes
 * already seen (α + β). Beta(1, 1) believes nothing: every success rate is as likely as any other.
 * @example betaWords(3, 7) // 'Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.'
 */
export function betaWords(alpha: number, beta: number): string {
  if (alpha === 1 && beta === 1) return 'No opinion yet: every success rate from 0% to 100% is equally likely.';
  return `Expects a success rate of about ${pct(alpha / (alpha + beta))}, as firmly as if ${p4(alpha + beta)} outcomes had been seen.`;
}

/**
 * What a Normal prior believes: the expected value μ, and the range μ ± 2σ that holds it with about 95%
 * probability. For a contextual bandit μ and σ apply to each context's effect (on the log-odds of success
 * for yes/no outcomes).
 */
export function normalWords(mu: number, sigma: number, contextual: boolean, rewardType: RewardType): string {
  const range = `probably between ${p4(mu - 2 * sigma)} and ${p4(mu + 2 * sigma)}`;
  if (!contextual) return `Expects an average outcome of ${p4(mu)}, ${range}.`;
  const scale = rewardType === 'binary' ? ' on the log-odds of success' : '';
  return `Each context’s effect${scale} starts at ${p4(mu)}, ${range}.`;
}

/**
 * An arm's prior as set in the design: its parameters, and what they believe before any outcome. An arm
 * without the design's parameters (weights the server has not turned into priors yet) reads "—".
 * @example armPriorWords(design, { arm_name: 'sms', alpha_init: 3, beta_init: 7 }).params // 'Beta(α 3, β 7)'
 */
export function armPriorWords(
  design: Pick<BanditDesignSpec, 'prior_type' | 'reward_type' | 'experiment_type'>,
  arm: Pick<BanditArmSpec, 'alpha_init' | 'beta_init' | 'mu_init' | 'sigma_init'>,
): { params: string; words: string } {
  if (design.prior_type === 'beta' && arm.alpha_init != null && arm.beta_init != null) {
    return { params: `Beta(α ${param(arm.alpha_init)}, β ${param(arm.beta_init)})`, words: betaWords(arm.alpha_init, arm.beta_init) };
  }
  if (design.prior_type === 'normal' && arm.mu_init != null && arm.sigma_init != null) {
    return {
      params: `Normal(μ ${param(arm.mu_init)}, σ ${param(arm.sigma_init)})`,
      words: normalWords(arm.mu_init, arm.sigma_init, design.experiment_type === 'cmab_online', design.reward_type),
    };
  }
  return { params: '—', words: '' };
}

/** How a missing outcome is counted, as a sentence; `hours` or `value` null while they are not known yet. */
export function autofailSentence(enabled: boolean, hours: number | null, value: number | null, rewardType: RewardType): string {
  if (!enabled) return 'Participants who never report an outcome are left out of the learning.';
  if (hours === null || value === null) return 'Participants who never report an outcome will count once the wait and the value above are filled in.';
  const as = rewardType === 'binary' ? (value === 1 ? 'a success (1)' : 'a failure (0)') : `an outcome of ${p4(value)}`;
  return `Participants who never report an outcome count as ${as} once ${hours.toLocaleString('en-US')} ${hours === 1 ? 'hour has' : 'hours have'} passed since they got their arm.`;
}

/**
 * A design's autofail setting as a sentence (the server's defaults, 24 hours and 0, where it leaves them out).
 * @example autofailWords({ enable_autofail: true, autofail_window: 48, autofail_outcome_value: 0, reward_type: 'binary' })
 *   // 'Participants who never report an outcome count as a failure (0) once 48 hours have passed since they got their arm.'
 */
export function autofailWords(d: Pick<BanditDesignSpec, 'enable_autofail' | 'autofail_window' | 'autofail_outcome_value' | 'reward_type'>): string {
  return autofailSentence(d.enable_autofail, d.autofail_window ?? 24, d.autofail_outcome_value ?? 0, d.reward_type);
}

export function rewardTypeWords(rewardType: RewardType): string {
  return rewardType === 'binary' ? 'Yes or no: each outcome is a success (1) or a failure (0)' : 'A number: each outcome is a value, higher is better';
}

/** The prior type with what it models: per arm for a plain bandit, per context and arm for a contextual one. */
export function priorTypeWords(d: Pick<BanditDesignSpec, 'prior_type' | 'reward_type' | 'experiment_type'>): string {
  if (d.prior_type === 'beta') return 'Beta: α prior successes and β prior failures per arm, updated exactly by each outcome';
  const model = d.reward_type === 'binary' ? 'a logistic model of the chance of success' : 'a linear model of the outcome';
  return d.experiment_type === 'cmab_online'
    ? `Normal: one coefficient per context for each arm, in ${model}`
    : `Normal: each arm’s expected outcome, in ${model}`;
}

export function contextKindWords(c: Pick<BanditContextSpec, 'value_type'>): string {
  return c.value_type === 'binary' ? 'yes/no (0 or 1)' : 'number';
}
