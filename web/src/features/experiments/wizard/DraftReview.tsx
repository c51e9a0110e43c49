/**
 * The last wizard step, once the experiment exists as a draft on the server: everything shown comes from the
 * server (arm sizes, balance check, the stored power check), so a reload shows exactly what a commit will
 * make live. Commit lands on the new experiment's page; "Change design" abandons the draft and reopens its
 * design in the wizard; "Abandon draft" discards it. A bandit draft shows its arms' priors instead of sample
 * sizes, and no balance or power check; arms and design read as on the experiment page (`ExperimentSummary.tsx`).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../../api/client.ts';
import { ApiError } from '../../../api/errors.ts';
import { Button } from '../../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { ConfirmDialog } from '../../../ui/Dialog.tsx';
import { PageHeader } from '../../../ui/Page.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ExperimentConfig, ExperimentForUi } from '../api-types.ts';
import { ArmsTable, BalanceCheckView, DesignFacts } from '../ExperimentSummary.tsx';
import { banditDesignOf } from '../bandit-design.ts';
import { experimentKeys, experimentPage, experimentPath, useExperiment, useOrganizationDatasources, useOrganizationWebhooks, useParticipantTypes } from '../queries.ts';
import { banditStateFromConfig } from './bandit-spec.ts';
import { stateFromConfig } from './design-spec.ts';
import { PowerResults } from './MetricsStep.tsx';
import { StepHeading, StepList } from './StepFrame.tsx';
import { stepsFor, type WizardState } from './state.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

export function DraftReview({
  organizationId,
  datasourceId,
  experimentId,
  today,
  onEditAgain,
  onForget,
  onRestart,
}: {
  organizationId: string;
  datasourceId: string;
  experimentId: string;
  today: string;
  /** The draft was abandoned to change its design; continue editing this state. */
  onEditAgain: (state: WizardState) => void;
  /** The draft was committed or abandoned here: drop it from the browser's storage (the page navigates away). */
  onForget: () => void;
  /** The draft is gone: forget it and show a fresh wizard. */
  onRestart: () => void;
}) {
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const experiment = useExperiment(datasourceId, experimentId);
  const types = useParticipantTypes(datasourceId);
  const datasources = useOrganizationDatasources(organizationId);
  const webhooks = useOrganizationWebhooks(organizationId);
  const [confirm, setConfirm] = useState<'abandon' | 'change' | null>(null);

  const commit = useMutation({
    mutationFn: () => api.post(`${experimentPath(datasourceId, experimentId)}/commit`),
    onSuccess: async () => {
      onForget();
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      toast(`Experiment committed: “${experiment.data?.config.design_spec.experiment_name ?? experimentId}” is live for your backend.`);
      await navigate(experimentPage(datasourceId, experimentId));
    },
  });
  const abandon = useMutation({
    mutationFn: async (then: 'leave' | 'change') => {
      await api.post(`${experimentPath(datasourceId, experimentId)}/abandon`);
      return then;
    },
    onSuccess: async (then) => {
      setConfirm(null);
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      const data = experiment.data;
      if (then === 'change' && data) {
        onEditAgain(
          banditDesignOf(data.config) ? banditStateFromConfig(data.config, today, types.data?.items ?? []) : stateFromConfig(data.config, data.experiment_schema?.fields ?? [], types.data?.items ?? [], today),
        );
        toast('The draft was abandoned; its design is back in the wizard.');
        return;
      }
      onForget();
      toast('Draft abandoned.');
      await navigate('/experiments');
    },
  });

  const header = <PageHeader title="New experiment" crumbs={[{ label: 'Experiments', to: '/experiments' }, { label: 'New experiment' }]} />;
  const data: ExperimentForUi | undefined = experiment.data;
  if (experiment.isPending) {
    return (
      <>
        {header}
        <Loading label="Loading the draft…" />
      </>
    );
  }
  if (experiment.isError || !data) {
    const gone = experiment.error instanceof ApiError && experiment.error.status === 404;
    return (
      <>
        {header}
        {gone ? (
          <Callout tone="warning" title="The draft no longer exists">
            <p>It was deleted, or belongs to an organization you left.</p>
            <Button onClick={onRestart}>Start a new design</Button>
          </Callout>
        ) : (
          <ErrorCallout title="Could not load the draft" error={experiment.error} onRetry={() => void experiment.refetch()} />
        )}
      </>
    );
  }
  const config: ExperimentConfig = data.config;
  const d = config.design_spec;
  if (config.state !== 'assigned') {
    return (
      <>
        {header}
        <Callout tone="info" title={config.state === 'committed' ? 'This experiment was already committed' : 'This draft was abandoned'}>
          <p>
            <Link to={experimentPage(datasourceId, experimentId)}>Open “{d.experiment_name}”</Link> or start a new design.
          </p>
          <Button onClick={onRestart}>Start a new design</Button>
        </Callout>
      </>
    );
  }

  const running = config.assignment_progress?.status === 'running';
  const preassigned = d.experiment_type === 'freq_preassigned';
  const bandit = banditDesignOf(config);
  const kind = bandit ? bandit.experiment_type : preassigned ? 'freq_preassigned' : 'freq_online';
  const datasourceName = datasources.data?.items.find((x) => x.id === datasourceId)?.name;
  const anyError = commit.error ?? abandon.error;
  return (
    <>
      {header}
      <StepList
        steps={stepsFor(kind).map((s) => ({ ...s, reachable: false, done: true }))}
        current="summary"
        onGo={() => undefined}
        lockedReason="The draft is saved on the server; use Change design to edit it."
      />
      <section className="section wizard-step" aria-labelledby="wizard-step-title">
        <StepHeading title={`Review and commit “${d.experiment_name}”`} focusKey="summary" focusOnMount />
        <Callout tone="info">
          {bandit ? (
            <p>
              Nothing is visible to your backend until you commit. Committing makes the bandit available through the API: your backend asks for an arm for each participant
              {bandit.experiment_type === 'cmab_online' ? ' (sending its context values)' : ''} and reports the outcome, and the bandit sends more participants to the arms that do
              better{config.webhooks.length > 0 ? '. The chosen webhooks receive experiment.created' : ''}.
            </p>
          ) : preassigned ? (
            <p>
              {fmt(config.assign_summary.sample_size)} participants were sampled and assigned. Nothing is visible to your backend until you commit; committing makes the
              assignments available through the API{config.webhooks.length > 0 ? ' and notifies the chosen webhooks (experiment.created)' : ''}.
            </p>
          ) : (
            <p>
              Committing makes the experiment available to your backend, which assigns participants as it asks for them
              {config.webhooks.length > 0 ? '; the chosen webhooks receive experiment.created' : ''}.
            </p>
          )}
        </Callout>
        {running && (
          <p role="status" className="muted">
            Participants are still being assigned ({fmt(config.assignment_progress?.written ?? 0)} of {fmt(config.assignment_progress?.total ?? 0)})…
          </p>
        )}
        <h3>Arms</h3>
        {/* Nobody is drawn before a bandit is committed, so its arms show their priors without counts. */}
        <ArmsTable config={config} counts={!bandit} />
        {preassigned && (
          <>
            <h3>Balance check</h3>
            <BalanceCheckView config={config} />
          </>
        )}
        <h3>Design</h3>
        <DesignFacts config={config} datasourceName={datasourceName} webhooks={webhooks.data?.items} />
        {!bandit && config.power_analyses && config.power_analyses.analyses.length > 0 && (
          <>
            <h3>Power check</h3>
            <PowerResults
              analyses={config.power_analyses.analyses}
              powerPct={String(Number(((d.power ?? 0.8) * 100).toPrecision(4)))}
              confidencePct={String(Number(((1 - (d.alpha ?? 0.05)) * 100).toPrecision(4)))}
              desiredN={null}
            />
          </>
        )}
        {anyError && <ErrorCallout title="That did not work" error={anyError} />}
        <div className="wizard-nav">
          <div className="row">
            {/* The participant types are needed to reopen the design as it was chosen. */}
            <Button onClick={() => setConfirm('change')} disabled={running || (!bandit && types.isPending)}>
              Change design
            </Button>
            <Button variant="danger" onClick={() => setConfirm('abandon')}>
              Abandon draft
            </Button>
          </div>
          <Button variant="primary" onClick={() => commit.mutate()} busy={commit.isPending} disabled={running}>
            Commit experiment
          </Button>
        </div>
      </section>
      <ConfirmDialog
        open={confirm === 'change'}
        title="Change the design?"
        confirmLabel="Abandon draft and edit"
        danger={false}
        busy={abandon.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => abandon.mutate('change')}
      >
        <p>
          This draft is abandoned and its design reopens in the wizard.{preassigned ? ' Creating it again samples and assigns participants afresh.' : ''}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'abandon'}
        title="Abandon this draft?"
        confirmLabel="Abandon draft"
        busy={abandon.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => abandon.mutate('leave')}
      >
        <p>“{d.experiment_name}” is abandoned{preassigned ? ' with its assignments' : ''}. Nothing was sent to your backend. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
