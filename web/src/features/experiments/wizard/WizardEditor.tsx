/**
 * The editing phase of the wizard: one reducer-held design, saved to localStorage on every change, a step
 * at a time, with the power check (A/B tests) and finally "Create experiment" (which samples and assigns a
 * preassigned design on the server; a bandit is created with its priors). Server 422s are placed next to
 * their fields and the wizard goes to their step.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import { api } from '../../../api/client.ts';
import { ApiError } from '../../../api/errors.ts';
import { Button } from '../../../ui/Button.tsx';
import { ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { ConfirmDialog } from '../../../ui/Dialog.tsx';
import { PageHeader } from '../../../ui/Page.tsx';
import type { ExperimentConfig, PowerResponse } from '../api-types.ts';
import { experimentKeys, useOrganizationDatasources, useOrganizationWebhooks } from '../queries.ts';
import { ArmsStep } from './ArmsStep.tsx';
import { buildBanditDesignSpec } from './bandit-spec.ts';
import { BanditSourceStep } from './BanditSourceStep.tsx';
import { BasicsStep } from './BasicsStep.tsx';
import { ContextsStep } from './ContextsStep.tsx';
import { buildDesignSpec, currentPower, powerDesignSpec, powerFingerprint, resolveDesiredN } from './design-spec.ts';
import { FiltersStep } from './FiltersStep.tsx';
import { MetricsStep } from './MetricsStep.tsx';
import { OutcomesStep } from './OutcomesStep.tsx';
import { ParticipantsStep } from './ParticipantsStep.tsx';
import { saveWizard } from './persistence.ts';
import { placeServerErrors, stepOfKey, type PlacedErrors } from './server-errors.ts';
import { GeneralErrors, StepHeading, StepList, WizardNav, type StepProps } from './StepFrame.tsx';
import { isBanditKind, stepIndex, stepsFor, wizardReducer, type Source, type StepId, type WizardAction, type WizardState } from './state.ts';
import { StrataStep } from './StrataStep.tsx';
import { TypeStep } from './TypeStep.tsx';
import { useCatalog } from './useCatalog.ts';
import { canReach, validateStep } from './validation.ts';

const INTROS: Record<StepId, ReactNode> = {
  basics: 'What the experiment is, when it runs, and who hears about it.',
  type: 'How participants get their arm.',
  participants: 'Where participants come from.',
  contexts: 'The facts about a participant your backend sends when it asks for an arm. The bandit learns which arm works best for which values.',
  outcomes: 'What your backend reports after a participant got an arm, and what happens when nothing is reported.',
  arms: 'The versions participants are split between. The first arm is the control the others are compared with.',
  filters: 'Who is eligible to take part.',
  strata: 'Fields every arm should have the same mix of. Stratifying makes the arms alike on them, so differences in outcomes come from the arms.',
  metrics: 'What the experiment measures, the smallest effect worth detecting, and how many participants that takes.',
};

const BANDIT_INTROS: Partial<Record<StepId, ReactNode>> = {
  participants: 'Which datasource the bandit belongs to, and for a warehouse bandit where its outcomes are.',
  arms: 'The versions the bandit chooses between, and what you believe about each before any outcome. The bandit sends more participants to the arms that do better.',
};

/** Non-warehouse bandits read no fields; an empty source keeps the catalog queries idle. */
const NO_SOURCE: Source = { datasourceId: '', mode: 'participant_type', participantType: '', tableName: '', primaryKey: '' };

export function WizardEditor({
  organizationId,
  initial,
  onCreated,
  onStartOver,
  focusOnMount = false,
}: {
  organizationId: string;
  initial: WizardState;
  focusOnMount?: boolean;
  onCreated: (config: ExperimentConfig) => void;
  onStartOver: () => void;
}) {
  const queryClient = useQueryClient();
  const [state, rawDispatch] = useReducer(wizardReducer, initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [server, setServer] = useState<PlacedErrors | null>(null);
  const [confirmStartOver, setConfirmStartOver] = useState(false);

  useEffect(() => saveWizard(localStorage, organizationId, { phase: 'editing', state }), [organizationId, state]);

  const datasources = useOrganizationDatasources(organizationId);
  const webhooks = useOrganizationWebhooks(organizationId);
  const bandit = isBanditKind(state.kind);
  const sources = useCatalog(bandit && state.kind !== 'mab_online_dwh' ? NO_SOURCE : state.source, bandit ? 'outcome' : 'design');
  const catalog = sources.catalog;
  const ctx = useMemo(() => ({ catalog }), [catalog]);

  const steps = stepsFor(state.kind);
  // A step the kind does not have (the kind changed) falls back to the kind's last step.
  const step: StepId = steps.some((s) => s.id === state.step) ? state.step : steps[steps.length - 1]!.id;
  const index = steps.findIndex((s) => s.id === step);
  const problems = validateStep(step, state, ctx);

  // An edit makes the server's complaints about this step's fields out of date; other steps keep theirs.
  const dispatch = useCallback(
    (action: WizardAction) => {
      if (action.type !== 'go') {
        setServer((s) => {
          if (!s) return s;
          const byField = Object.fromEntries(Object.entries(s.byField).filter(([k]) => stepOfKey(k) !== step));
          return { ...s, byField, general: [] };
        });
      }
      rawDispatch(action);
    },
    [step],
  );
  const touch = useCallback((field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field))), []);
  const errorFor = (field: string) => server?.byField[field] ?? (touched.has(field) ? problems.find((p) => p.field === field)?.message : undefined);

  const power = useMutation({
    mutationFn: ({ desiredN }: { desiredN: number | null; fingerprint: string }) =>
      api.post<PowerResponse>(`/v1/m/datasources/${encodeURIComponent(state.source.datasourceId)}/power`, { design_spec: powerDesignSpec(state, catalog, desiredN) }),
    onSuccess: (res, { desiredN, fingerprint }) => rawDispatch({ type: 'power_result', result: { fingerprint, analyses: res.analyses, desiredN } }),
    onError: (err) => {
      if (err instanceof ApiError && err.fields.length > 0) setServer(placeServerErrors(err.fields, state.kind));
    },
  });

  const create = useMutation({
    mutationFn: () => {
      const path = `/v1/m/datasources/${encodeURIComponent(state.source.datasourceId)}/experiments`;
      if (bandit) return api.post<ExperimentConfig>(path, { design_spec: buildBanditDesignSpec(state, catalog), webhooks: state.basics.webhookIds });
      const fresh = currentPower(state, catalog);
      const desiredN = resolveDesiredN(state, fresh);
      return api.post<ExperimentConfig>(path, {
        design_spec: buildDesignSpec(state, catalog, desiredN),
        webhooks: state.basics.webhookIds,
        ...(fresh ? { power_analyses: { analyses: fresh.analyses } } : {}),
      });
    },
    onSuccess: async (config) => {
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      onCreated(config);
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || err.fields.length === 0) return;
      const placed = placeServerErrors(err.fields, state.kind);
      setServer(placed);
      if (placed.step) rawDispatch({ type: 'go', step: placed.step });
    },
  });

  const last = index === steps.length - 1;
  const go = (to: StepId) => rawDispatch({ type: 'go', step: to });
  const next = () => {
    if (problems.length > 0) return;
    if (last) create.mutate();
    else go(steps[index + 1]!.id);
  };

  const metricProblems = step === 'metrics' ? problems.filter((p) => p.field !== 'desired_n') : [];
  const props: StepProps = { state, dispatch, errorFor, touch, catalog };
  const stepList = steps.map((s) => ({
    ...s,
    reachable: canReach(s.id, state, ctx),
    done: s.id !== step && stepIndex(s.id) <= stepIndex(state.reached) && validateStep(s.id, state, ctx).length === 0,
  }));
  const createFailed = create.error && !(create.error instanceof ApiError && create.error.fields.length > 0);
  const powerFailed = power.error && !(power.error instanceof ApiError && power.error.fields.length > 0) ? power.error : null;
  const title = steps[index]?.label ?? '';
  // Steps that name columns wait for the fields (after a reload they are fetched again).
  const catalogGate =
    (step === 'filters' || step === 'strata' || step === 'metrics') && !catalog ? (
      sources.fieldsError != null ? (
        <ErrorCallout title="Could not load the fields of the chosen participants" error={sources.fieldsError} onRetry={sources.retryFields} />
      ) : (
        <Loading label="Loading the fields of the chosen participants…" />
      )
    ) : null;

  return (
    <>
      <PageHeader
        title="New experiment"
        crumbs={[{ label: 'Experiments', to: '/experiments' }, { label: 'New experiment' }]}
        actions={
          <Button variant="ghost" onClick={() => setConfirmStartOver(true)}>
            Start over
          </Button>
        }
      >
        <p className="muted small wizard-saved">Your design is saved in this browser as you go, so you can reload or come back later.</p>
      </PageHeader>
      <StepList steps={stepList} current={step} onGo={go} />
      <section className="section wizard-step" aria-labelledby="wizard-step-title">
        <StepHeading title={`${index + 1}. ${title}`} intro={(bandit ? BANDIT_INTROS[step] : undefined) ?? INTROS[step]} focusKey={step} focusOnMount={focusOnMount} />
        <GeneralErrors messages={server?.general ?? []} />
        {step === 'basics' && (
          <BasicsStep {...props} webhooks={{ items: webhooks.data?.items, loading: webhooks.isPending, error: webhooks.error, retry: () => void webhooks.refetch() }} />
        )}
        {step === 'type' && <TypeStep {...props} />}
        {step === 'participants' && bandit && (
          <BanditSourceStep
            {...props}
            datasources={{ items: datasources.data?.items, loading: datasources.isPending, error: datasources.error, retry: () => void datasources.refetch() }}
            sources={sources}
          />
        )}
        {step === 'participants' && !bandit && (
          <ParticipantsStep
            {...props}
            datasources={{ items: datasources.data?.items, loading: datasources.isPending, error: datasources.error, retry: () => void datasources.refetch() }}
            sources={sources}
          />
        )}
        {step === 'contexts' && <ContextsStep {...props} />}
        {step === 'outcomes' && <OutcomesStep {...props} />}
        {step === 'arms' && <ArmsStep {...props} />}
        {catalogGate}
        {!catalogGate && step === 'filters' && <FiltersStep {...props} />}
        {!catalogGate && step === 'strata' && <StrataStep {...props} />}
        {!catalogGate && step === 'metrics' && (
          <MetricsStep
            {...props}
            power={{
              current: currentPower(state, catalog),
              check: (desiredN) => power.mutate({ desiredN, fingerprint: powerFingerprint(state, catalog) }),
              checking: power.isPending,
              error: powerFailed,
              blocked: metricProblems[0]?.message,
            }}
          />
        )}
        {createFailed && <ErrorCallout title="The experiment could not be created" error={create.error} />}
        {create.isPending && (
          <p className="muted" role="status">
            {state.kind === 'freq_preassigned' ? 'Creating the experiment and assigning participants…' : 'Creating the experiment…'}
          </p>
        )}
        <WizardNav onBack={index > 0 ? () => go(steps[index - 1]!.id) : undefined} onNext={next} nextLabel={last ? 'Create experiment' : 'Next'} reason={problems[0]?.message} busy={create.isPending} />
      </section>
      <ConfirmDialog
        open={confirmStartOver}
        title="Start over?"
        confirmLabel="Discard this design"
        onClose={() => setConfirmStartOver(false)}
        onConfirm={() => {
          setConfirmStartOver(false);
          onStartOver();
        }}
      >
        <p>Everything entered in this wizard is discarded. Nothing has been created on the server yet.</p>
      </ConfirmDialog>
    </>
  );
}
