/**
 * Step 7: what the experiment measures and whether it can see it. Metrics with their minimum effect worth
 * detecting (percent change, decimals allowed, negative for a decrease); the power check, in words per
 * metric; and how many participants to assign (preassigned) or to aim for (online).
 */
import { useEffect, useRef } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../../ui/Callout.tsx';
import { CheckboxField, FieldError, SelectField, TextField } from '../../../ui/Field.tsx';
import type { PowerAnalysis } from '../api-types.ts';
import { typeLabel } from './catalog.ts';
import { parseWholeNumber, resolveDesiredN } from './design-spec.ts';
import { describePower } from './power-words.ts';
import type { StepProps } from './StepFrame.tsx';
import { MAX_METRICS, type PowerResult, type SampleChoice } from './state.ts';

export interface PowerControls {
  /** The power result if it matches the design as it is now. */
  readonly current: PowerResult | null;
  readonly check: (desiredN: number | null) => void;
  readonly checking: boolean;
  /** A failure that is not about a field (network, warehouse). */
  readonly error: unknown;
  /** Why the check cannot run yet (the metric inputs are incomplete), or undefined. */
  readonly blocked: string | undefined;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function MetricsStep({ state, dispatch, errorFor, touch, catalog, power }: StepProps & { power: PowerControls }) {
  const count = state.metrics.length;
  const previous = useRef(count);
  const list = useRef<HTMLOListElement>(null);
  // After "Add metric", its field is where the user goes next.
  useEffect(() => {
    if (count > previous.current) list.current?.querySelector<HTMLSelectElement>('li:last-child select')?.focus();
    previous.current = count;
  }, [count]);
  const fields = catalog?.metrics ?? [];
  const used = new Set(state.metrics.map((m) => m.field));
  const nextUnused = fields.find((f) => !used.has(f.name))?.name;
  const preassigned = state.kind === 'freq_preassigned';
  const current = power.current;
  const desiredN = resolveDesiredN(state, current);
  const available = current?.analyses[0]?.metric_spec.available_n ?? null;
  const staleResult = state.power !== null && current === null;

  return (
    <div className="stack">
      <section className="subsection" aria-labelledby="metrics-title">
        <h3 id="metrics-title">Metrics</h3>
        <p className="field-hint">The first metric is the primary one: the outcome the experiment is designed around. The minimum effect is the smallest change, in percent of today’s value, that would matter to you (negative for a decrease).</p>
        <FieldError>{errorFor('metrics')}</FieldError>
        {state.metrics.length > 0 && (
          <ol className="metric-list" ref={list}>
            {state.metrics.map((m, i) => {
              const field = fields.find((f) => f.name === m.field);
              return (
                <li key={m.key}>
                  <fieldset className="fieldset">
                    <legend>
                      Metric {i + 1}
                      {i === 0 && <span className="badge badge-success metric-primary">primary</span>}
                    </legend>
                    <div className="metric-fields">
                      <SelectField
                        label={`Field of metric ${i + 1}`}
                        value={m.field}
                        onChange={(e) => dispatch({ type: 'metric_update', key: m.key, patch: { field: e.target.value } })}
                        onBlur={() => touch(`metrics.${i}.field_name`)}
                        error={errorFor(`metrics.${i}.field_name`)}
                        hint={field?.description || undefined}
                        options={[
                          { value: '', label: 'Choose a field…', disabled: true },
                          ...fields.map((f) => ({ value: f.name, label: `${f.name} (${f.type === 'boolean' ? 'yes/no' : typeLabel(f.type)})`, disabled: f.name !== m.field && used.has(f.name) })),
                        ]}
                      />
                      <TextField
                        label={`Minimum effect of metric ${i + 1} (% change)`}
                        inputMode="decimal"
                        value={m.mde}
                        onChange={(e) => dispatch({ type: 'metric_update', key: m.key, patch: { mde: e.target.value } })}
                        onBlur={() => touch(`metrics.${i}.metric_pct_change`)}
                        error={errorFor(`metrics.${i}.metric_pct_change`) ?? errorFor(`metrics.${i}`)}
                        hint="e.g. 10 for +10%, 2.5, or -5 for a decrease"
                      />
                    </div>
                    <div className="arm-actions">
                      {i > 0 && (
                        <Button size="small" variant="ghost" onClick={() => dispatch({ type: 'metric_primary', key: m.key })} aria-label={`Make metric ${i + 1}${m.field ? ` (${m.field})` : ''} the primary metric`}>
                          Make primary
                        </Button>
                      )}
                      <Button size="small" variant="ghost" onClick={() => dispatch({ type: 'metric_remove', key: m.key })} aria-label={`Remove metric ${i + 1}${m.field ? ` (${m.field})` : ''}`}>
                        Remove
                      </Button>
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ol>
        )}
        <div className="row">
          <Button onClick={() => dispatch({ type: 'metric_add', field: nextUnused })} disabled={fields.length === 0 || state.metrics.length >= Math.min(MAX_METRICS, fields.length)}>
            Add metric
          </Button>
          {fields.length === 0 && <span className="muted small">These participants have no numeric or yes/no field to measure.</span>}
        </div>
      </section>

      <section className="subsection" aria-labelledby="power-title">
        <h3 id="power-title">Power check</h3>
        <div className="grid-2 narrow">
          <TextField
            label="Power (%)"
            inputMode="decimal"
            value={state.powerPct}
            onChange={(e) => dispatch({ type: 'settings', patch: { powerPct: e.target.value } })}
            onBlur={() => touch('power')}
            error={errorFor('power')}
            hint="The chance of seeing a real effect of the size you gave. 80% is usual."
          />
          <TextField
            label="Confidence (%)"
            inputMode="decimal"
            value={state.confidencePct}
            onChange={(e) => dispatch({ type: 'settings', patch: { confidencePct: e.target.value } })}
            onBlur={() => touch('alpha')}
            error={errorFor('alpha')}
            hint="100% minus the false-positive rate. 95% is usual."
          />
        </div>
        <div className="row">
          <Button variant={current ? 'secondary' : 'primary'} onClick={() => power.check(desiredN)} busy={power.checking} disabled={power.blocked !== undefined} aria-describedby={power.blocked ? 'power-blocked' : undefined}>
            Check power
          </Button>
          {power.blocked && (
            <span className="muted small" id="power-blocked">
              {power.blocked}
            </span>
          )}
        </div>
        {power.error != null && <ErrorCallout title="The power check failed" error={power.error} />}
        {staleResult && (
          <Callout tone="warning" role="status">
            The design changed since the last power check. Check power again to see numbers for the design as it is now.
          </Callout>
        )}
        {current && <PowerResults analyses={current.analyses} powerPct={state.powerPct} confidencePct={state.confidencePct} desiredN={current.desiredN} />}
      </section>

      <section className="subsection" aria-labelledby="sample-title">
        <h3 id="sample-title">{preassigned ? 'Sample size' : 'Target sample size'}</h3>
        {preassigned ? (
          <SampleChoiceField
            choice={state.sampleChoice}
            customN={state.customN}
            analyses={current?.analyses ?? null}
            onChoice={(c) => dispatch({ type: 'settings', patch: { sampleChoice: c } })}
            onCustom={(v) => dispatch({ type: 'settings', patch: { customN: v } })}
            error={errorFor('desired_n')}
            touch={() => touch('desired_n')}
          />
        ) : (
          <div className="stack">
            <TextField
              label="Target sample size (optional)"
              inputMode="numeric"
              value={state.onlineTarget}
              onChange={(e) => dispatch({ type: 'settings', patch: { onlineTarget: e.target.value } })}
              onBlur={() => touch('desired_n')}
              error={errorFor('desired_n')}
              hint={current?.analyses[0]?.target_n != null ? `The power check suggests ${fmt(current.analyses[0].target_n)} for the primary metric.` : 'How many participants you plan to assign in total.'}
            />
            <CheckboxField
              label="Stop assigning new participants when the target is reached"
              hint="Participants already assigned keep their arm."
              checked={state.stopAtTarget}
              onChange={(e) => dispatch({ type: 'settings', patch: { stopAtTarget: e.target.checked } })}
            />
          </div>
        )}
        {preassigned && desiredN !== null && available !== null && desiredN > available && (
          <Callout tone="warning" role="status">
            Only {fmt(available)} participants pass the filters, fewer than {fmt(desiredN)}: all {fmt(available)} will be assigned.
          </Callout>
        )}
        {current && desiredN !== null && current.desiredN !== desiredN && desiredN > 0 && (
          <div className="row">
            <Button size="small" onClick={() => power.check(desiredN)} busy={power.checking}>
              Estimate the smallest detectable effect with {fmt(desiredN)} participants
            </Button>
          </div>
        )}
      </section>
    </div>
  );
}

export function PowerResults({ analyses, powerPct, confidencePct, desiredN }: { analyses: readonly PowerAnalysis[]; powerPct: string; confidencePct: string; desiredN: number | null }) {
  return (
    <ul className="power-results" aria-label="Power check results">
      {analyses.map((a, i) => {
        const words = describePower(a, { powerPct, confidencePct, desiredN });
        return (
          <li key={`${a.metric_spec.field_name}-${i}`} className={`callout callout-${words.tone}`}>
            <div className="callout-title">
              {i === 0 && <span className="visually-hidden">Primary metric: </span>}
              {words.headline}
            </div>
            {words.details.map((d, j) => (
              <p key={j}>{d}</p>
            ))}
          </li>
        );
      })}
    </ul>
  );
}

function SampleChoiceField({
  choice,
  customN,
  analyses,
  onChoice,
  onCustom,
  error,
  touch,
}: {
  choice: SampleChoice;
  customN: string;
  analyses: readonly PowerAnalysis[] | null;
  onChoice: (c: SampleChoice) => void;
  onCustom: (v: string) => void;
  error: string | undefined;
  touch: () => void;
}) {
  const first = analyses?.[0];
  const primaryN = first?.target_n ?? null;
  const needed = analyses?.map((a) => a.target_n) ?? [];
  const everyN = needed.length > 1 && needed.every((n): n is number => n !== null) ? Math.max(...needed) : null;
  const available = first?.metric_spec.available_n ?? null;
  const pending = 'check power first';
  const options: { value: SampleChoice; label: string; detail: string; disabled: boolean }[] = [
    { value: 'primary', label: 'Enough for the primary metric', detail: primaryN !== null ? fmt(primaryN) : analyses ? 'not available' : pending, disabled: primaryN === null },
    ...(needed.length > 1 ? [{ value: 'every_metric' as const, label: 'Enough for every metric', detail: everyN !== null ? fmt(everyN) : analyses ? 'not available' : pending, disabled: everyN === null }] : []),
    { value: 'available', label: 'Everyone eligible', detail: available !== null ? fmt(available) : pending, disabled: available === null || available === 0 },
    { value: 'custom', label: 'A number of my choice', detail: '', disabled: false },
  ];
  return (
    <fieldset className="fieldset">
      <legend>How many participants to assign</legend>
      <div className="choice-list">
        {options.map((o) => (
          <label key={o.value} className={`radio-row${o.disabled ? ' radio-row-disabled' : ''}`}>
            <input type="radio" name="sample-choice" value={o.value} checked={choice === o.value} disabled={o.disabled && choice !== o.value} onChange={() => onChoice(o.value)} />
            <span>
              {o.label}
              {o.detail && <span className="muted">: {o.detail}</span>}
            </span>
          </label>
        ))}
      </div>
      {choice === 'custom' && (
        <TextField label="Number of participants" inputMode="numeric" value={customN} onChange={(e) => onCustom(e.target.value)} onBlur={touch} error={error} />
      )}
      {choice !== 'custom' && error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      {choice === 'custom' && parseWholeNumber(customN) !== null && primaryN !== null && (parseWholeNumber(customN) ?? 0) < primaryN && (
        <p className="field-hint">Fewer than the {fmt(primaryN)} the primary metric needs: the experiment may miss an effect of the size you gave.</p>
      )}
    </fieldset>
  );
}
