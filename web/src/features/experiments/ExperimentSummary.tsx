/**
 * Read-only views of an experiment shared by the wizard's summary and the experiment page: the arms (with
 * their participant counts and shares; a bandit's with the prior each starts from), the design in facts (a
 * bandit's outcome, prior, contexts and autofail too), and the balance check explained.
 */
import type { ReactNode } from 'react';
import { Badge } from '../../ui/Callout.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import type { ArmSpec, ExperimentConfig, StoredBanditDesign, WebhookSummary } from './api-types.ts';
import { banditDesignOf } from './bandit-design.ts';
import { armPriorWords, autofailWords, contextKindWords, priorTypeWords, rewardTypeWords } from './bandit-words.ts';
import { experimentTypeLabel, formatUtcDate } from './status.ts';
import { describeFilter } from './wizard/filters.ts';
import { signedPercent } from './wizard/power-words.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

function share(size: number, total: number): string {
  if (total <= 0) return '—';
  return `${(Math.round((size / total) * 1000) / 10).toFixed(1)}%`;
}

/**
 * The arms with their ids to copy. An A/B test's first arm is the control; a bandit has none, and shows the
 * prior each arm starts from instead (a bandit's weights are each arm's chance of being best, from which the
 * server derived that prior). `counts` false leaves out participants and shares (a bandit's draft
 * review, where nobody has been drawn yet).
 */
export function ArmsTable({
  config,
  caption,
  counts = true,
  armActions,
}: {
  config: ExperimentConfig;
  caption?: ReactNode;
  counts?: boolean;
  /** Controls at the end of each arm's row (the experiment page's "Edit"). */
  armActions?: (arm: ArmSpec) => ReactNode;
}) {
  const sizes = new Map(config.assign_summary.arm_sizes.map((s) => [s.arm.arm_id, s]));
  const total = config.assign_summary.sample_size;
  const bandit = banditDesignOf(config);
  const arms = config.design_spec.arms;
  const weighted = arms.some((a) => a.arm_weight != null);
  const clustered = config.assign_summary.arm_sizes.some((s) => s.cluster_count != null);
  return (
    <div className="table-wrap">
      <table className={bandit ? 'table arms-table bandit-arms-table' : 'table arms-table'}>
        {caption ? <caption>{caption}</caption> : <caption className="visually-hidden">Arms of {config.design_spec.experiment_name}</caption>}
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Arm id</th>
            {weighted && (
              <th scope="col" className="num">
                {bandit ? 'Chance of being best' : 'Weight'}
              </th>
            )}
            {clustered && (
              <th scope="col" className="num">
                Clusters
              </th>
            )}
            {bandit && <th scope="col">Starting belief (prior)</th>}
            {counts && (
              <>
                <th scope="col" className="num">
                  Participants
                </th>
                <th scope="col" className="num">
                  Share
                </th>
              </>
            )}
            {armActions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {arms.map((a, i) => {
            const s = a.arm_id ? sizes.get(a.arm_id) : undefined;
            return (
              <tr key={a.arm_id ?? i}>
                <th scope="row">
                  {a.arm_name} {!bandit && i === 0 && <Badge>control</Badge>}
                  {a.arm_description && <div className="muted small arm-description">{a.arm_description}</div>}
                </th>
                <td>
                  {a.arm_id ? (
                    <span className="copy-value">
                      <code>{a.arm_id}</code>
                      <CopyButton text={a.arm_id} what={`arm id of ${a.arm_name}`} />
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                {weighted && <td className="num">{a.arm_weight != null ? `${a.arm_weight}%` : '—'}</td>}
                {clustered && <td className="num">{s?.cluster_count != null ? fmt(s.cluster_count) : '—'}</td>}
                {bandit && <PriorCell design={bandit} arm={bandit.arms[i]!} />}
                {counts && (
                  <>
                    <td className="num">{fmt(s?.size ?? 0)}</td>
                    <td className="num">{share(s?.size ?? 0, total)}</td>
                  </>
                )}
                {armActions && <td className="actions">{armActions(a)}</td>}
              </tr>
            );
          })}
        </tbody>
        {counts && (
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td />
              {weighted && <td />}
              {clustered && <td />}
              {bandit && <td />}
              <td className="num">{fmt(total)}</td>
              <td className="num">{total > 0 ? '100%' : '—'}</td>
              {armActions && <td />}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function PriorCell({ design, arm }: { design: StoredBanditDesign; arm: StoredBanditDesign['arms'][number] }) {
  const prior = armPriorWords(design, arm);
  return (
    <td>
      <span className="nowrap">{prior.params}</span>
      {prior.words && <div className="muted small">{prior.words}</div>}
    </td>
  );
}

/** A p-value as a relation: "= 0.412", and "> 0.999" / "< 0.001" at the ends, where more digits mean nothing. */
export function formatPValue(p: number): string {
  if (p > 0.999) return '> 0.999';
  if (p < 0.001) return '< 0.001';
  return `= ${p.toFixed(3)}`;
}

/** The balance check with what it means. */
export function BalanceCheckView({ config }: { config: ExperimentConfig }) {
  const b = config.assign_summary.balance_check;
  const threshold = config.design_spec.fstat_thresh ?? 0.6;
  if (config.design_spec.experiment_type !== 'freq_preassigned') {
    return <p className="muted">Online experiments assign participants when your backend asks, so there is no balance check to run in advance.</p>;
  }
  if (!b) {
    return <p className="muted">No balance check: no stratum or metric had values to compare the arms on.</p>;
  }
  const p = formatPValue(b.p_value);
  return (
    <div className="balance">
      <p className="balance-verdict">
        {b.balance_ok ? <Badge tone="success">Balanced</Badge> : <Badge tone="warning">Not balanced</Badge>}{' '}
        {b.balance_ok
          ? `The arms look alike: p ${p} is above the threshold of ${threshold}.`
          : `The arms differ more than chance usually makes them: p ${p} is at or below the threshold of ${threshold}.`}
      </p>
      <dl className="facts">
        <dt>F statistic</dt>
        <dd>{Number(b.f_statistic.toPrecision(4))}</dd>
        <dt>Degrees of freedom</dt>
        <dd>
          {b.numerator_df} and {b.denominator_df}
        </dd>
        <dt>p-value</dt>
        <dd>{p.replace(/^= /, '')}</dd>
      </dl>
      <p className="field-hint">
        The check asks whether the strata and metrics predict which arm a participant is in (an F test on all arms). If randomisation worked they should not, so a high
        p-value is what you want.
        {!b.balance_ok && ' You can still commit; or change the design and create it again to draw a new assignment.'}
      </p>
    </div>
  );
}

/** The design as facts; `withRegistry` false leaves out the dates and document link a registry section already shows. */
export function DesignFacts({
  config,
  datasourceName,
  webhooks,
  withRegistry = true,
}: {
  config: ExperimentConfig;
  datasourceName?: string | undefined;
  webhooks?: readonly WebhookSummary[] | undefined;
  withRegistry?: boolean;
}) {
  const d = config.design_spec;
  const bandit = banditDesignOf(config);
  const byId = new Map((webhooks ?? []).map((w) => [w.id, w]));
  const metrics = d.metrics ?? [];
  return (
    <dl className="facts">
      <dt>Type</dt>
      <dd>
        {experimentTypeLabel(d.experiment_type)}
        {d.experiment_type === 'freq_online' && d.assignment_mode === 'hash' && ' (arms chosen by hash)'}
      </dd>
      {withRegistry && (
        <>
          <dt>Dates</dt>
          <dd>
            {formatUtcDate(d.start_date)} – {formatUtcDate(d.end_date)} <span className="muted small">(UTC)</span>
          </dd>
        </>
      )}
      {datasourceName !== undefined && (
        <>
          <dt>Datasource</dt>
          <dd>{datasourceName}</dd>
        </>
      )}
      {d.table_name && (
        <>
          <dt>Participants</dt>
          <dd>
            table <code>{d.table_name}</code>, identified by <code>{d.primary_key}</code>
          </dd>
        </>
      )}
      {withRegistry && (
        <>
          <dt>Design document</dt>
          <dd>
            {d.design_url ? (
              <a href={d.design_url} target="_blank" rel="noreferrer">
                {d.design_url}
              </a>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </>
      )}
      {d.filters !== undefined && (
        <>
          <dt>Filters</dt>
          <dd>
            {d.filters.length === 0 ? (
              <span className="muted">none: everyone is eligible</span>
            ) : (
              <ul className="plain-list">
                {d.filters.map((f, i) => (
                  <li key={i}>{describeFilter(f)}</li>
                ))}
              </ul>
            )}
          </dd>
        </>
      )}
      {d.experiment_type === 'freq_preassigned' && (
        <>
          <dt>Strata</dt>
          <dd>{(d.strata ?? []).length === 0 ? <span className="muted">none</span> : (d.strata ?? []).map((s) => s.field_name).join(', ')}</dd>
        </>
      )}
      {metrics.length > 0 && (
        <>
          <dt>Metrics</dt>
          <dd>
            <ul className="plain-list">
              {metrics.map((m, i) => (
                <li key={m.field_name}>
                  <code>{m.field_name}</code>
                  {i === 0 && ' (primary)'}
                  {m.metric_pct_change != null && `: minimum effect ${signedPercent(m.metric_pct_change)}`}
                  {m.metric_pct_change == null && m.metric_target != null && `: target ${m.metric_target}`}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {d.power != null && d.alpha != null && (
        <>
          <dt>Power, confidence</dt>
          <dd>
            {Number((d.power * 100).toPrecision(4))}%, {Number(((1 - d.alpha) * 100).toPrecision(4))}%
          </dd>
        </>
      )}
      {bandit ? (
        <BanditFacts design={bandit} />
      ) : (
        <>
          <dt>Target sample size</dt>
          <dd>
            {d.desired_n != null ? fmt(d.desired_n) : <span className="muted">none</span>}
            {d.stop_at_desired_n && d.desired_n != null && ' (assignment stops there)'}
          </dd>
        </>
      )}
      <dt>Webhooks notified</dt>
      <dd>
        {config.webhooks.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          config.webhooks.map((id) => byId.get(id)?.name || byId.get(id)?.url || id).join(', ')
        )}
      </dd>
    </dl>
  );
}

/** A bandit's own facts: the outcome and where it comes from, the prior, the contexts, autofail. */
function BanditFacts({ design: b }: { design: StoredBanditDesign }) {
  const weighted = b.arms.length > 0 && b.arms.every((a) => a.arm_weight != null);
  return (
    <>
      <dt>Outcome</dt>
      <dd>
        {rewardTypeWords(b.reward_type)}
        {b.experiment_type === 'mab_online_dwh' && b.target_field_name && (
          <>
            ; it stands for the warehouse column <code>{b.target_field_name}</code>
          </>
        )}
      </dd>
      <dt>Prior</dt>
      <dd>
        {priorTypeWords(b)}
        {weighted && <span className="muted"> — derived from the chances of being best</span>}
      </dd>
      {b.experiment_type === 'cmab_online' && (
        <>
          <dt>Contexts</dt>
          <dd>
            <ul className="plain-list">
              {(b.contexts ?? []).map((c) => (
                <li key={c.context_id}>
                  <strong>{c.context_name}</strong> <Badge>{contextKindWords(c)}</Badge> <code>{c.context_id}</code>
                  <CopyButton text={c.context_id} what={`context id of ${c.context_name}`} />
                  {c.context_description && <div className="muted small">{c.context_description}</div>}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      <dt>Missing outcomes</dt>
      <dd>{autofailWords(b)}</dd>
    </>
  );
}
