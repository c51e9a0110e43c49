/**
 * `/datasources/:datasourceId/experiments/:experimentId`: one experiment. Its status (draft, committed,
 * abandoned; upcoming, running or finished by its dates) and why assignment stopped, the results (frequentist)
 * or what the bandit has learned (bandits, live), the arms with counts and shares (bandits: with their priors),
 * the assignments CSV, the balance check (preassigned only), the registry (editable), the design, the
 * integration guide, and the actions its state allows: commit/abandon a draft, stop/resume an online
 * experiment or a bandit, rename an arm (committed), and at the bottom delete its data or the experiment.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../api/client.ts';
import { ApiError } from '../../../api/errors.ts';
import { useOrganization } from '../../../org/organization.tsx';
import { Button } from '../../../ui/Button.tsx';
import { Badge, Callout, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { ConfirmDialog } from '../../../ui/Dialog.tsx';
import { PageHeader, Section } from '../../../ui/Page.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ArmSpec, ExperimentConfig } from '../api-types.ts';
import { banditDesignOf } from '../bandit-design.ts';
import { ArmsTable, BalanceCheckView, DesignFacts } from '../ExperimentSummary.tsx';
import { experimentKeys, experimentPath, useExperiment, useOrganizationDatasources, useOrganizationWebhooks } from '../queries.ts';
import { experimentTypeLabel, formatUtcDate, lifecycleStatus, stopStatus, todayUtc } from '../status.ts';
import { clearWizard, loadWizard } from '../wizard/persistence.ts';
import { PowerResults } from '../wizard/MetricsStep.tsx';
import { AssignmentsDownload } from './AssignmentsDownload.tsx';
import { DangerZone } from './DangerZone.tsx';
import { EditArmDialog } from './EditArmDialog.tsx';
import { IntegrationGuide } from './IntegrationGuide.tsx';
import { BanditSection } from './bandit/BanditSection.tsx';
import { RegistrySection } from './RegistrySection.tsx';
import { ResultsSection } from './results/ResultsSection.tsx';

type Action = 'commit' | 'abandon' | 'stop' | 'resume';

const fmt = (n: number) => n.toLocaleString('en-US');

export function ExperimentPage() {
  const { datasourceId = '', experimentId = '' } = useParams();
  const { current } = useOrganization();
  const experiment = useExperiment(datasourceId, experimentId);
  const datasources = useOrganizationDatasources(current.id);
  const webhooks = useOrganizationWebhooks(current.id);
  const [editingRegistry, setEditingRegistry] = useState(false);
  const [editingArm, setEditingArm] = useState<ArmSpec | null>(null);
  const crumbs = [{ label: 'Experiments', to: '/experiments' }];

  if (experiment.isPending) {
    return (
      <>
        <PageHeader title="Experiment" crumbs={crumbs} />
        <Loading label="Loading the experiment…" />
      </>
    );
  }
  if (experiment.isError) {
    const missing = experiment.error instanceof ApiError && experiment.error.status === 404;
    return (
      <>
        <PageHeader title={missing ? 'Experiment not found' : 'Experiment'} crumbs={crumbs} />
        {missing ? (
          <Callout tone="warning">
            <p>
              There is no experiment {experimentId} on this datasource in {current.name}. It may have been deleted, or belong to another organization.{' '}
              <Link to="/experiments">Back to the experiments</Link>.
            </p>
          </Callout>
        ) : (
          <ErrorCallout title="Could not load the experiment" error={experiment.error} onRetry={() => void experiment.refetch()} />
        )}
      </>
    );
  }
  const config = experiment.data.config;
  const d = config.design_spec;
  const datasourceName = datasources.data?.items.find((x) => x.id === datasourceId)?.name;
  const preassigned = d.experiment_type === 'freq_preassigned';
  const progress = config.assignment_progress;
  const bandit = banditDesignOf(config);

  return (
    <>
      <PageHeader title={d.experiment_name} crumbs={[...crumbs, { label: d.experiment_name }]} actions={<Actions config={config} organizationId={current.id} />}>
        <StatusLine config={config} />
      </PageHeader>
      <StateCallouts config={config} onEditDates={() => setEditingRegistry(true)} />
      {progress?.status === 'running' && (
        <Callout tone="info" role="status" title="Assigning participants">
          <p>
            {fmt(progress.written ?? 0)} of {fmt(progress.total ?? 0)} written ({progress.phase}). This page updates by itself.
          </p>
        </Callout>
      )}

      {bandit ? <BanditSection config={config} design={bandit} /> : <ResultsSection config={config} />}

      <Section id="arms" title="Arms and assignments">
        <ArmsTable
          config={config}
          armActions={
            // The server renames arms of committed experiments only: a draft's arms are changed in its design.
            config.state === 'committed'
              ? (arm) => (
                  <Button size="small" aria-label={`Edit arm ${arm.arm_name}`} onClick={() => setEditingArm(arm)}>
                    Edit
                  </Button>
                )
              : undefined
          }
        />
        <EditArmDialog config={config} arm={editingArm} onClose={() => setEditingArm(null)} />
        <p className="field-hint">
          {bandit
            ? 'The bandit draws each new participant’s arm by Thompson sampling: the likelier an arm is to be the best given the outcomes so far, the more often it is drawn, so better arms get more participants as outcomes arrive.'
            : preassigned
              ? 'Participants were sampled and assigned when the experiment was created.'
              : config.state === 'committed'
                ? 'Counts grow as your backend asks for participants’ arms.'
                : 'Online experiments assign participants once they are committed and your backend asks.'}
        </p>
        <AssignmentsDownload datasourceId={datasourceId} experimentId={experimentId} expectedRows={config.assign_summary.sample_size} />
      </Section>

      {preassigned && (
        <Section id="balance" title="Balance check">
          <BalanceCheckView config={config} />
        </Section>
      )}

      <RegistrySection config={config} editing={editingRegistry} onEditingChange={setEditingRegistry} />

      <Section id="design" title="Design">
        <DesignFacts config={config} datasourceName={datasourceName} webhooks={webhooks.data?.items} withRegistry={false} />
        {config.power_analyses && config.power_analyses.analyses.length > 0 && (
          <details className="power-details">
            <summary>Power check made when the experiment was designed</summary>
            <PowerResults
              analyses={config.power_analyses.analyses}
              powerPct={String(Number(((d.power ?? 0.8) * 100).toPrecision(4)))}
              confidencePct={String(Number(((1 - (d.alpha ?? 0.05)) * 100).toPrecision(4)))}
              desiredN={null}
            />
          </details>
        )}
      </Section>

      {config.state !== 'abandoned' && <IntegrationGuide config={config} organizationId={current.id} />}

      <DangerZone config={config} organizationId={current.id} />
    </>
  );
}

function StatusLine({ config }: { config: ExperimentConfig }) {
  const status = lifecycleStatus(config);
  const stop = stopStatus(config);
  const d = config.design_spec;
  return (
    <p className="status-line">
      <Badge tone={status.tone} title={status.explanation}>
        {status.label}
      </Badge>
      {stop && (
        <Badge tone={stop.tone} title={stop.explanation}>
          {stop.label}
        </Badge>
      )}
      <span>{experimentTypeLabel(d.experiment_type)}</span>
      <span className="muted">
        {formatUtcDate(d.start_date)} – {formatUtcDate(d.end_date)} (UTC)
      </span>
      <span className="muted">{fmt(config.assign_summary.sample_size)} participants</span>
    </p>
  );
}

/** What the state means and what the user can do about it, said once at the top. */
function StateCallouts({ config, onEditDates }: { config: ExperimentConfig; onEditDates: () => void }) {
  const stop = stopStatus(config);
  if (config.state === 'assigned') {
    return (
      <Callout tone="warning" title="This is a draft">
        <p>Your backend cannot see it yet. Review it below, then commit it (the linked webhooks are notified) or abandon it.</p>
      </Callout>
    );
  }
  if (config.state === 'abandoned') {
    return (
      <Callout tone="info" title="Abandoned">
        <p>This draft was abandoned; nothing was sent to your backend.</p>
      </Callout>
    );
  }
  if (!stop) return null;
  return (
    <Callout tone="warning" title={`${stop.label}${config.stopped_assignments_at ? ` on ${formatUtcDate(config.stopped_assignments_at)}` : ''}`}>
      <p>{stop.explanation}</p>
      {config.stopped_assignments_reason === 'end_date' && (
        <Button size="small" onClick={onEditDates}>
          Edit the dates
        </Button>
      )}
    </Callout>
  );
}

function Actions({ config, organizationId }: { config: ExperimentConfig; organizationId: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, setConfirm] = useState<Action | null>(null);
  const name = config.design_spec.experiment_name;
  const act = useMutation({
    mutationFn: (action: Action) => api.post(`${experimentPath(config.datasource_id, config.experiment_id)}/${action}`),
    onSuccess: async (_, action) => {
      setConfirm(null);
      // The wizard in this browser may still point at this draft; it is settled now.
      if (action === 'commit' || action === 'abandon') {
        const stored = loadWizard(localStorage, organizationId, todayUtc());
        if (stored?.phase === 'draft' && stored.experimentId === config.experiment_id) clearWizard(localStorage, organizationId);
      }
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      toast(
        action === 'commit'
          ? `“${name}” is committed and live for your backend.`
          : action === 'abandon'
            ? `“${name}” was abandoned.`
            : action === 'stop'
              ? 'Assignments stopped. Existing assignments are still returned.'
              : 'Assignments resumed.',
      );
    },
  });
  const bandit = banditDesignOf(config) !== null;
  // Bandits draw online too: a stop ends new draws while outcomes of earlier ones are still recorded.
  const online = config.design_spec.experiment_type === 'freq_online' || bandit;
  const committed = config.state === 'committed';
  const running = config.assignment_progress?.status === 'running';
  const stoppedManually = config.stopped_assignments_reason === 'manual';
  const stopped = config.stopped_assignments_at !== null;
  const open = (a: Action) => {
    act.reset();
    setConfirm(a);
  };
  const dialogs: Record<Action, { title: string; confirm: string; danger: boolean; body: string }> = {
    commit: {
      title: `Commit “${name}”?`,
      confirm: 'Commit experiment',
      danger: false,
      body: `Your backend can then get assignments, and ${config.webhooks.length > 0 ? `the ${config.webhooks.length} linked ${config.webhooks.length === 1 ? 'webhook is' : 'webhooks are'} notified (experiment.created)` : 'no webhook is linked, so none is notified'}. The design cannot change afterwards.`,
    },
    abandon: { title: `Abandon “${name}”?`, confirm: 'Abandon draft', danger: true, body: 'The draft and its assignments are set aside for good; nothing was sent to your backend.' },
    stop: {
      title: 'Stop new assignments?',
      confirm: 'Stop assignments',
      danger: true,
      body: `Participants already assigned keep their arm and are still returned. New participants get no arm (reason “stopped”) until you resume.${bandit ? ' Outcomes of participants already drawn are still recorded and still update the posteriors.' : ''}`,
    },
    resume: { title: 'Resume assignments?', confirm: 'Resume assignments', danger: false, body: 'New participants are assigned again when your backend asks.' },
  };
  const dialog = confirm ? dialogs[confirm] : null;
  return (
    <>
      {config.state === 'assigned' && (
        <>
          <Button variant="danger" onClick={() => open('abandon')}>
            Abandon draft
          </Button>
          <Button variant="primary" onClick={() => open('commit')} disabled={running} title={running ? 'Participants are still being assigned' : undefined}>
            Commit experiment
          </Button>
        </>
      )}
      {online && committed && !stopped && (
        <Button variant="danger" onClick={() => open('stop')}>
          Stop assignments
        </Button>
      )}
      {online && committed && stoppedManually && (
        <Button variant="primary" onClick={() => open('resume')}>
          Resume assignments
        </Button>
      )}
      <ConfirmDialog
        open={dialog !== null}
        title={dialog?.title ?? ''}
        confirmLabel={dialog?.confirm ?? ''}
        danger={dialog?.danger ?? true}
        busy={act.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => confirm && act.mutate(confirm)}
      >
        <p>{dialog?.body}</p>
        {act.isError && <ErrorCallout title="That did not work" error={act.error} />}
      </ConfirmDialog>
    </>
  );
}
