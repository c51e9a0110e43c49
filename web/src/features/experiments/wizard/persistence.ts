/**
 * Where the wizard keeps its work between page loads, per organization, in localStorage: the whole state
 * while the design is being edited; once the experiment exists, only a pointer to the server's draft (from
 * then on the server's copy is the draft, so a reload shows exactly what will be committed). Cleared on
 * commit, abandon and "Start over". Anything unreadable (another version, hand-edited) is dropped rather
 * than trusted.
 */
import { DEFAULT_PRIOR, initialState, STEP_IDS, type StepId, type WizardState } from './state.ts';

export type StoredWizard =
  | { readonly phase: 'editing'; readonly state: WizardState }
  | { readonly phase: 'draft'; readonly datasourceId: string; readonly experimentId: string };

/**
 * Version 2 added bandits: priors on every arm, outcome settings and contexts. A version 1 state (A/B tests
 * only) is read by giving its arms the neutral priors; the rest fills in from today's defaults.
 */
const VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];
const KINDS: readonly unknown[] = [null, 'freq_preassigned', 'freq_online', 'mab_online', 'mab_online_dwh', 'cmab_online'];
const STEPS: readonly StepId[] = STEP_IDS;

export function storageKey(organizationId: string): string {
  return `equipoise.experiment-wizard.${organizationId}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** The stored state over today's defaults, so a field added later gets its default instead of undefined. */
function readState(raw: unknown, today: string): WizardState | null {
  if (!isObject(raw)) return null;
  const base = initialState(today);
  const s = raw as Partial<WizardState>;
  if (!STEPS.includes(s.step as StepId)) return null;
  const reached = STEPS.includes(s.reached as StepId) ? (s.reached as StepId) : s.step;
  if (!isObject(s.basics) || !isObject(s.source)) return null;
  for (const list of [s.arms, s.filters, s.strata, s.metrics]) if (!Array.isArray(list)) return null;
  if (!s.arms!.every((a) => isObject(a) && isString(a.key) && isString(a.name) && isString(a.weight))) return null;
  if (!s.filters!.every((f) => isObject(f) && isString(f.key) && isString(f.field) && isString(f.op))) return null;
  if (!s.metrics!.every((m) => isObject(m) && isString(m.key) && isString(m.field) && isString(m.mde))) return null;
  if (!s.strata!.every(isString)) return null;
  if (s.kind !== undefined && !KINDS.includes(s.kind)) return null;
  const contexts = s.contexts ?? [];
  if (!Array.isArray(contexts) || !contexts.every((c) => isObject(c) && isString(c.key) && isString(c.name))) return null;
  if (s.bandit !== undefined && !isObject(s.bandit)) return null;
  const prior = (v: unknown, fallback: string) => (isString(v) ? v : fallback);
  return {
    ...base,
    ...s,
    basics: { ...base.basics, ...s.basics, webhookIds: Array.isArray(s.basics.webhookIds) ? s.basics.webhookIds.filter(isString) : [] },
    source: { ...base.source, ...s.source },
    arms: s.arms!.map((a) => ({
      ...a,
      description: isString(a.description) ? a.description : '',
      alpha: prior(a.alpha, DEFAULT_PRIOR.alpha),
      beta: prior(a.beta, DEFAULT_PRIOR.beta),
      mu: prior(a.mu, DEFAULT_PRIOR.mu),
      sigma: prior(a.sigma, DEFAULT_PRIOR.sigma),
    })),
    bandit: { ...base.bandit, ...s.bandit },
    contexts: contexts.map((c) => ({ description: '', ...c, valueType: c.valueType === 'real-valued' ? 'real-valued' : 'binary' })),
    reached,
    seq: typeof s.seq === 'number' && Number.isFinite(s.seq) ? s.seq : base.seq + 1000,
  } as WizardState;
}

export function loadWizard(storage: Storage, organizationId: string, today: string): StoredWizard | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(storageKey(organizationId)) ?? 'null');
  } catch {
    return null;
  }
  if (!isObject(parsed) || !READABLE_VERSIONS.includes(parsed.version)) return null;
  if (parsed.phase === 'draft') {
    return isString(parsed.datasourceId) && isString(parsed.experimentId) ? { phase: 'draft', datasourceId: parsed.datasourceId, experimentId: parsed.experimentId } : null;
  }
  if (parsed.phase === 'editing') {
    const state = readState(parsed.state, today);
    return state ? { phase: 'editing', state } : null;
  }
  return null;
}

export function saveWizard(storage: Storage, organizationId: string, value: StoredWizard): void {
  try {
    storage.setItem(storageKey(organizationId), JSON.stringify({ version: VERSION, ...value }));
  } catch {
    // A full or disabled storage only costs the reload safety net; the wizard itself keeps working.
  }
}

export function clearWizard(storage: Storage, organizationId: string): void {
  storage.removeItem(storageKey(organizationId));
}
