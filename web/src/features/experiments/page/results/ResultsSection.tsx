/**
 * The results of a frequentist experiment on its page: the live analysis (or, with `?snapshot=<id>`, a
 * stored snapshot "as of" its time) with the baseline and covariate-adjustment choices, its checks and
 * per-metric results, downloads, and the snapshot history. Drafts get a one-line note; abandoned
 * experiments nothing; committed ones that cannot have results yet say when they will.
 */
import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../../../api/errors.ts';
import { useOrganization } from '../../../../org/organization.tsx';
import { Button } from '../../../../ui/Button.tsx';
import { Callout, EmptyState, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import { SelectField } from '../../../../ui/Field.tsx';
import { Section } from '../../../../ui/Page.tsx';
import { RadioGroup, type RadioOption } from '../../../../ui/RadioGroup.tsx';
import type { ExperimentConfig } from '../../api-types.ts';
import { formatUtcDate } from '../../status.ts';
import { isFreqAnalysis, type AdjustSource, type LiveOptions } from './analysis-types.ts';
import { AnalysisView } from './AnalysisView.tsx';
import { useLiveAnalysis } from './queries.ts';
import { ResultsDownload } from './ResultsDownload.tsx';
import { useFocusTitle, useOpenSnapshot, type TitleFocus } from '../open-snapshot.ts';
import { OpenedSnapshot, type OpenedSnapshotWords } from '../OpenedSnapshot.tsx';
import { SnapshotHistory } from './SnapshotHistory.tsx';

export function ResultsSection({ config }: { config: ExperimentConfig }) {
  const { current } = useOrganization();
  const { openId, setOpen, titleRef, moveFocus } = useOpenSnapshot();

  if (config.state === 'abandoned') return null;
  if (config.state === 'assigned') {
    return (
      <Section id="results" title="Results">
        <p className="muted">Results appear here once the experiment is committed and participants have outcomes in the warehouse.</p>
      </Section>
    );
  }
  return (
    <>
      <Section
        id="results"
        title={
          <span ref={titleRef} tabIndex={-1} className="focus-target">
            {openId ? 'Results from a snapshot' : 'Results'}
          </span>
        }
        actions={
          openId ? (
            <Button size="small" onClick={() => setOpen(null)}>
              Back to the live results
            </Button>
          ) : undefined
        }
      >
        {openId ? (
          <SnapshotResults config={config} organizationId={current.id} snapshotId={openId} titleRef={titleRef} moveFocus={moveFocus} />
        ) : (
          <LiveResults config={config} titleRef={titleRef} moveFocus={moveFocus} />
        )}
      </Section>
      <SnapshotHistory config={config} organizationId={current.id} openId={openId} onOpen={setOpen} />
    </>
  );
}

const INFERENCE_OPTIONS = [
  { value: 't', label: 'Student t (default)' },
  { value: 'z', label: 'Normal (z), as Evidential computes them' },
];

type DesignWithCovariates = ExperimentConfig['design_spec'] & { readonly covariates?: readonly { readonly field_name: string }[] };

function LiveResults({ config, ...focus }: { config: ExperimentConfig } & TitleFocus) {
  const d = config.design_spec as DesignWithCovariates;
  const [search, setSearch] = useSearchParams();
  // The choices live in the address, so a link or a reload shows the same comparison.
  const options: LiveOptions = {
    baselineArmId: search.get('baseline') ?? undefined,
    adjust: (search.get('adjust') as AdjustSource | null) ?? undefined,
    inference: search.get('inference') === 'z' ? 'z' : undefined,
  };
  const setOption = (key: 'baseline' | 'adjust' | 'inference', value: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        // t is the server's default: the address names only a departure from it.
        if (key === 'inference' && value === 't') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { preventScrollReset: true, replace: true },
    );
  const started = Date.now() >= Date.parse(d.start_date);
  const assigned = config.assign_summary.sample_size;
  const canAnalyse = started && assigned > 0;
  const analysis = useLiveAnalysis(config.datasource_id, config.experiment_id, options, canAnalyse);
  useFocusTitle(focus, !canAnalyse || !analysis.isPending);

  if (!started) {
    return (
      <Callout tone="info" title={`Results appear once the experiment starts on ${formatUtcDate(d.start_date)}`}>
        <p>
          {d.experiment_type === 'freq_online'
            ? 'Participants are assigned from the start date, when your backend asks for their arms.'
            : 'Participants are assigned already, but until the experiment starts their outcomes say nothing about the arms.'}
        </p>
      </Callout>
    );
  }
  if (assigned === 0) {
    return (
      <EmptyState title="No participants yet">
        Results appear once participants are assigned: your backend asks Equipoise for each participant’s arm (see the integration guide below), and their outcomes
        arrive in the warehouse table <code>{d.table_name}</code>.
      </EmptyState>
    );
  }

  const covariates = (d.covariates ?? []).map((c) => c.field_name);
  const strata = (d.strata ?? []).map((s) => s.field_name);
  const adjustOptions: RadioOption<AdjustSource>[] = [
    { value: 'covariates', label: 'Covariates', hint: covariates.length ? covariates.join(', ') : 'none in the design', disabled: covariates.length === 0 },
    { value: 'strata', label: 'Strata', hint: strata.length ? strata.join(', ') : 'none in the design', disabled: strata.length === 0 },
    { value: 'all', label: 'Both', disabled: covariates.length === 0 || strata.length === 0 },
    { value: 'none', label: 'Nothing', hint: 'plain differences only' },
  ];
  const arms = d.arms.filter((a): a is typeof a & { arm_id: string } => typeof a.arm_id === 'string');

  return (
    <div className="stack">
      <div className="result-controls">
        <SelectField
          label="Compare each arm with"
          value={options.baselineArmId ?? analysis.data?.baseline_arm_id ?? arms[0]?.arm_id ?? ''}
          onChange={(e) => setOption('baseline', e.target.value)}
          options={arms.map((a) => ({ value: a.arm_id, label: a.arm_name }))}
          hint="The baseline, usually the control arm."
        />
        {(covariates.length > 0 || strata.length > 0) && (
          <RadioGroup
            legend="Also adjust the estimates for"
            inline
            options={adjustOptions}
            value={options.adjust ?? (covariates.length > 0 ? 'covariates' : 'none')}
            onChange={(v) => setOption('adjust', v)}
          />
        )}
        <SelectField
          label="Intervals and p-values from"
          value={options.inference ?? 't'}
          onChange={(e) => setOption('inference', e.target.value)}
          options={INFERENCE_OPTIONS}
          hint={options.inference === 'z' ? 'Matches Evidential’s numbers; too optimistic with few participants or clusters.' : 'The safer choice with few participants or clusters.'}
        />
      </div>
      {analysis.isPending ? (
        <Loading label={`Analysing ${assigned.toLocaleString('en-US')} participants against the warehouse… This reads every participant’s data and can take several seconds.`} />
      ) : analysis.isError ? (
        <AnalysisProblem error={analysis.error} datasourceId={config.datasource_id} onRetry={() => void analysis.refetch()} />
      ) : (
        <>
          <div className={analysis.isPlaceholderData ? 'result-updating' : undefined} aria-busy={analysis.isPlaceholderData || undefined}>
            <AnalysisView
              analysis={analysis.data}
              config={config}
              actions={
                <div className="result-refresh">
                  <Button size="small" onClick={() => void analysis.refetch()} busy={analysis.isFetching}>
                    Analyse again
                  </Button>
                  {analysis.isFetching && (
                    <span className="muted small" role="status">
                      Updating…
                    </span>
                  )}
                </div>
              }
            />
          </div>
          <ResultsDownload datasourceId={config.datasource_id} experimentId={config.experiment_id} source={{ kind: 'live', options }} />
        </>
      )}
    </div>
  );
}

/** Why the live analysis failed, and what to do: the warehouse down or slow, no data yet, or anything else. */
function AnalysisProblem({ error, datasourceId, onRetry }: { error: unknown; datasourceId: string; onRetry: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  const retry = (
    <Button size="small" onClick={onRetry}>
      Try again
    </Button>
  );
  if (status === 502 || status === 504) {
    return (
      <Callout tone="danger" title={status === 502 ? 'The warehouse could not be reached' : 'The warehouse took too long to answer'}>
        <p>{describeError(error)}</p>
        <p>
          {status === 502 ? (
            <>
              Check the connection on <Link to={`/datasources/${encodeURIComponent(datasourceId)}`}>the datasource’s page</Link> (its connection test says what is wrong), then
              try again.
            </>
          ) : (
            'Try again in a moment. For a very large experiment, take a snapshot below instead: the worker computes it in the background.'
          )}{' '}
          Snapshots taken earlier are still available below.
        </p>
        {retry}
      </Callout>
    );
  }
  if (status === 422) {
    return (
      <Callout tone="warning" title="The analysis cannot run yet">
        <p>{describeError(error)}</p>
        <p>Usually no assigned participant has data in the warehouse table yet. Check that the table has rows for the participants’ ids, then try again.</p>
        {retry}
      </Callout>
    );
  }
  return <ErrorCallout title="The analysis failed" error={error} onRetry={onRetry} />;
}

const AB_SNAPSHOT_WORDS: OpenedSnapshotWords = {
  contents: 'results',
  list: 'history',
  stored: 'These are the results stored when the snapshot was taken, with the default options. They do not change as new data arrive.',
  kind: 'A/B analysis',
};

function SnapshotResults({ config, organizationId, snapshotId, ...focus }: { config: ExperimentConfig; organizationId: string; snapshotId: string } & TitleFocus) {
  return (
    <OpenedSnapshot
      organizationId={organizationId}
      ds={config.datasource_id}
      exp={config.experiment_id}
      snapshotId={snapshotId}
      focus={focus}
      words={AB_SNAPSHOT_WORDS}
      holds={isFreqAnalysis}
    >
      {(analysis) => <AnalysisView analysis={analysis} config={config} />}
    </OpenedSnapshot>
  );
}
