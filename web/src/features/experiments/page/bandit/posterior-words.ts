/**
 * A bandit's state in plain words for the people running it: which arm looks best and how sure we are,
 * where recent traffic went, what a credible interval means, and each arm's prior and posterior written
 * out. Pure functions of the history the server sends, or of a snapshot adapted to it (`ArmsView` in
 * `bandit-types.ts`; a snapshot speaks of the moment it was taken), so they are unit-tested. The
 * design's own facts (a prior alone, autofail) are said in `../../bandit-words.ts`, as the wizard says them.
 */
import type { PriorType, RewardType, StoredBanditDesign } from '../../api-types.ts';
import type { ArmsView, ArmView } from './bandit-types.ts';

/** How an expected reward reads: a success rate as a percentage, a number to three significant digits. */
export function rewardFormatter(rewardType: RewardType): (v: number) => string {
  if (rewardType === 'binary') return (v) => `${(v * 100).toFixed(1)}%`;
  return (v) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 }));
}

/** What the expected reward is called in sentences. */
export function rewardNoun(rewardType: RewardType): string {
  return rewardType === 'binary' ? 'success rate' : 'average outcome';
}

/** A probability as a percentage a person reads: "62%", and "< 1%" / "> 99%" at the ends. */
export function chance(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.005) return '< 1%';
  if (p < 1 && p > 0.995) return '> 99%';
  return `${Math.round(p * 100)}%`;
}

/** The arm with the highest posterior expected reward (null with no arms or no numbers). */
export function leadingArm<A extends ArmView>(arms: readonly A[]): A | null {
  let best: A | null = null;
  for (const a of arms) {
    if (a.posterior.mean === null) continue;
    if (best === null || a.posterior.mean > (best.posterior.mean as number)) best = a;
  }
  return best;
}

export interface RecentTraffic {
  /** Start of the oldest bucket counted. */
  readonly since: string;
  readonly draws: number;
  readonly shareByArm: ReadonlyMap<string, number>;
}

/**
 * Where the latest traffic went: the most recent buckets, summed back from the last until they hold at
 * least `minDraws` draws (or all of them), so one quiet bucket does not read as "100% of traffic".
 */
export function recentTraffic(history: Pick<ArmsView, 'buckets'>, minDraws = 20): RecentTraffic | null {
  const buckets = history.buckets ?? [];
  const counts = new Map<string, number>();
  let total = 0;
  let since: string | null = null;
  for (let i = buckets.length - 1; i >= 0 && total < minDraws; i--) {
    const b = buckets[i]!;
    if (b.draws === 0) continue;
    for (const a of b.arms) counts.set(a.arm_id, (counts.get(a.arm_id) ?? 0) + a.draws);
    total += b.draws;
    since = b.start;
  }
  if (total === 0 || since === null) return null;
  return { since, draws: total, shareByArm: new Map([...counts].map(([id, n]) => [id, n / total])) };
}

/** How sure the bandit is about its leader, and what it does about it. */
export function certaintyWords(probBest: number | null): string {
  if (probBest === null) return '';
  if (probBest >= 0.95) return 'That is strong evidence, so the bandit now sends most participants to it.';
  if (probBest >= 0.8) return 'That is likely but not settled: the other arms still get some participants so the bandit can keep checking.';
  return 'That is still uncertain: the arms’ ranges overlap a lot, so the bandit keeps spreading participants while it learns.';
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * The summary at the top of the section, one sentence per line. A snapshot has no chance of being best nor
 * traffic, so its leader is described by its belief then.
 * @example summarySentences(history) // ['sms currently looks best: there is a 91% chance it has the highest success rate.', …]
 */
export function summarySentences(view: ArmsView): string[] {
  const then = view.as_of !== undefined;
  const draws = view.arms.reduce((n, a) => n + a.n_draws, 0);
  const outcomes = view.arms.reduce((n, a) => n + a.n_outcomes, 0);
  if (draws === 0 && outcomes === 0) {
    if (then) return ['No participant had been drawn when this snapshot was taken.'];
    return ['No participant has been drawn yet. When your backend asks for arms (see the integration guide), this section shows where participants go and what the bandit learns.'];
  }
  if (outcomes === 0) {
    if (then) return [`${count(draws, 'participant')} drawn, but no outcomes yet: the posteriors were still the priors.`];
    return [
      `${count(draws, 'participant')} drawn, but no outcomes yet: the posteriors are still the priors, so every arm is drawn by its starting belief alone.`,
      'Report outcomes with the “Report outcome” call in the integration guide; the bandit learns from each one.',
    ];
  }
  const leader = leadingArm(view.arms);
  const noun = rewardNoun(view.reward_type);
  const contextual = view.experiment_type === 'cmab_online';
  const out: string[] = [];
  if (leader && then) {
    const format = rewardFormatter(view.reward_type);
    const p = leader.posterior;
    const interval = p.ci_lower === null || p.ci_upper === null ? '' : ` (${Math.round(view.credible_level * 100)}% credible interval ${format(p.ci_lower)} to ${format(p.ci_upper)})`;
    out.push(`${leader.arm_name} looked best${contextual ? ' for the average participant then' : ''}: its expected ${noun} was ${format(p.mean as number)}${interval}.`);
  } else if (leader) {
    const probBest = leader.prob_best ?? null;
    out.push(`${leader.arm_name} currently looks best${contextual ? ' for the average participant so far' : ''}: there is a ${chance(probBest)} chance it has the highest ${noun}.`);
    const recent = recentTraffic(view);
    const share = recent?.shareByArm.get(leader.arm_id);
    if (recent && share !== undefined) {
      out.push(
        `${chance(share)} of recent traffic (${count(recent.draws, 'participant')} since ${clock(recent.since)}) went to it; a new participant now gets it with a ${chance(leader.selection_probability ?? null)} chance.`,
      );
    }
    out.push(certaintyWords(probBest));
  }
  out.push(`Based on ${count(outcomes, 'outcome')} from ${count(draws, 'participant')}.`);
  return out.filter((s) => s !== '');
}

/** What the bars mean, under the posterior plot. */
export function credibleIntervalWords(view: Pick<ArmsView, 'credible_level' | 'reward_type' | 'as_of'>): string {
  const level = `${Math.round(view.credible_level * 100)}%`;
  return (
    `Each dot is the arm’s expected ${rewardNoun(view.reward_type)}; the bar is its ${level} credible interval: given the outcomes ${view.as_of === undefined ? 'so far' : 'until then'} and the starting belief, ` +
    `there is a ${level} chance the true value lies inside it. Bars that barely overlap mean the data tell the arms apart.`
  );
}

const p4 = (n: number) => String(Number(n.toPrecision(4)));

/**
 * An arm's starting belief and current belief, written as distributions.
 * @example priorToPosterior({ alpha_init: 1, beta_init: 1, alpha: 13, beta: 6, … }, 'beta') // 'Beta(1, 1) → Beta(13, 6)'
 */
export function priorToPosterior(arm: ArmView, priorType: PriorType): string {
  if (priorType === 'beta') {
    if (arm.alpha_init === null || arm.beta_init === null || arm.alpha === null || arm.beta === null) return '—';
    return `Beta(${p4(arm.alpha_init)}, ${p4(arm.beta_init)}) → Beta(${p4(arm.alpha)}, ${p4(arm.beta)})`;
  }
  if (arm.mu_init === null || arm.sigma_init === null || arm.mu === null || arm.covariance === null) return '—';
  const prior = `Normal(${p4(arm.mu_init)}, ${p4(arm.sigma_init)}²)`;
  if (arm.mu.length === 1) return `${prior} → Normal(${p4(arm.mu[0]!)}, ${p4(Math.sqrt(arm.covariance[0]?.[0] ?? 0))}²)`;
  const sds = arm.mu.map((_, i) => p4(Math.sqrt(arm.covariance?.[i]?.[i] ?? 0)));
  return `${prior} per context → means (${arm.mu.map(p4).join(', ')}), SDs (${sds.join(', ')})`;
}

const UNITS: readonly [number, string][] = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

function largestUnit(seconds: number): [number, string] {
  for (const [size, name] of UNITS) if (seconds % size === 0) return [seconds / size, name];
  return [seconds, 'second'];
}

/** One bucket's length as an adjective: "5-second", "1-hour". */
export function bucketWords(seconds: number | null): string {
  if (seconds === null) return '';
  const [n, unit] = largestUnit(seconds);
  return `${n}-${unit}`;
}

/** A length of time: "5 seconds", "1 hour". */
export function durationWords(seconds: number | null): string {
  if (seconds === null) return '';
  const [n, unit] = largestUnit(seconds);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * The context values a contextual bandit is summarised at, named and in the design's order ("returning = 1,
 * age = 1.17"); the server sends them in context-id order.
 */
export function contextWords(design: Pick<StoredBanditDesign, 'contexts'>, values: readonly number[] | null): string {
  const defs = design.contexts ?? [];
  if (values === null || defs.length === 0) return '';
  const byId = [...defs].sort((a, b) => (a.context_id < b.context_id ? -1 : a.context_id > b.context_id ? 1 : 0));
  const value = new Map(byId.map((d, i) => [d.context_id, values[i] ?? 0]));
  return defs.map((d) => `${d.context_name} = ${p4(value.get(d.context_id) ?? 0)}`).join(', ');
}

/** What the bandit's results files hold, in the sentence beside the download buttons (live or snapshot). */
export function downloadContents(design: Pick<StoredBanditDesign, 'experiment_type'>): string {
  return `CSV has one row per arm: draws, outcomes, the prior's and the posterior's predicted mean with its interval, and the inverse-propensity estimate${design.experiment_type === 'cmab_online' ? ', at the mean context of the draws' : ''}; JSON has the whole analysis.`;
}
