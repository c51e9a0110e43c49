/**
 * Where the wizard keeps its work between page loads, per organization, in localStorage: the whole state
 * while the design is being edited; once the experiment exists, only a pointer to the server's draft (from
 * then on the server's copy is the draft, so a reload shows exactly what will be committed). Cleared on
 * commit, abandon and "Start over". Anything unreadable (another version, hand-edited) is dropped rather
 * than trusted.
 */
import { initialState, type StepId, type WizardState } from './state.ts';

export type StoredWizard =
  | { readonly phase: 'editing'; readonly state: WizardState }
  | { readonly phase: 'draft'; readonly datasourceId: string; readonly experimentId: string };

const VERSION = 1;
const STEPS: readonly StepId[] = ['basics', 'type', 'participants', 'arms', 'filters', 'strata', 'metrics'];

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
  return {
    ...base,
    ...s,
    basics: { ...base.basics, ...s.basics, webhookIds: Array.isArray(s.basics.webhookIds) ? s.basics.webhookIds.filter(isString) : [] },
    source: { ...base.source, ...s.source },
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
  if (!isObject(parsed) || parsed.version !== VERSION) return null;
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
