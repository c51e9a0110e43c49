/**
 * A contextual bandit's answer for one kind of participant: type the context values (yes/no contexts as a
 * choice, numbers as text) and see each arm's expected reward for them now, with its credible interval and
 * its prior, from `POST …/analyze_cmab`. Problems the server finds are shown next to the value they concern.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../../api/errors.ts';
import { Button } from '../../../../ui/Button.tsx';
import { Badge, ErrorCallout } from '../../../../ui/Callout.tsx';
import { IntervalPlot } from '../../../../ui/charts/IntervalPlot.tsx';
import { SelectField, TextField } from '../../../../ui/Field.tsx';
import { Section } from '../../../../ui/Page.tsx';
import type { StoredBanditContext, StoredBanditDesign } from '../../api-types.ts';
import type { BanditAnalysis } from './bandit-types.ts';
import { useCmabPrediction } from './bandit-queries.ts';
import { rewardFormatter, rewardNoun } from './posterior-words.ts';

const BINARY = [
  { value: '0', label: 'No (0)' },
  { value: '1', label: 'Yes (1)' },
];

function parseValue(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function CmabPrediction({ ds, exp, design }: { ds: string; exp: string; design: StoredBanditDesign }) {
  const contexts = design.contexts ?? [];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(contexts.map((c) => [c.context_id, c.value_type === 'binary' ? '0' : ''])));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [asked, setAsked] = useState<string>('');
  const predict = useCmabPrediction(ds, exp);
  const serverProblem = (i: number) => (predict.error instanceof ApiError ? predict.error.fieldMessage(`context_inputs.${i}.context_value`) : undefined);
  const fieldError = (c: StoredBanditContext, i: number) => problems[c.context_id] ?? serverProblem(i);
  const unplaced = predict.isError && !contexts.some((_, i) => serverProblem(i));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const inputs = contexts.map((c) => {
      const v = parseValue(values[c.context_id] ?? '');
      if (v === null) found[c.context_id] = `Enter a number for ${c.context_name}.`;
      return { context_id: c.context_id, context_value: v ?? 0 };
    });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setAsked(contexts.map((c, i) => `${c.context_name} = ${c.value_type === 'binary' ? (inputs[i]?.context_value === 1 ? 'yes' : 'no') : inputs[i]?.context_value}`).join(', '));
    predict.mutate(inputs);
  };

  return (
    <Section id="predict" title="Predictions for a participant">
      <p className="field-hint">
        A contextual bandit’s best arm can depend on who the participant is. Enter one participant’s context values to see what the bandit now expects from each arm for
        them.
      </p>
      <form className="bandit-page-context-form" aria-label="Context values" onSubmit={submit} noValidate>
        <div className="form-grid">
          {contexts.map((c, i) =>
            c.value_type === 'binary' ? (
              <SelectField
                key={c.context_id}
                label={c.context_name}
                hint={c.context_description || 'Yes or no'}
                options={BINARY}
                value={values[c.context_id] ?? '0'}
                error={fieldError(c, i)}
                onChange={(e) => setValues({ ...values, [c.context_id]: e.target.value })}
              />
            ) : (
              <TextField
                key={c.context_id}
                label={c.context_name}
                hint={c.context_description || 'A number'}
                inputMode="decimal"
                value={values[c.context_id] ?? ''}
                error={fieldError(c, i)}
                onChange={(e) => setValues({ ...values, [c.context_id]: e.target.value })}
              />
            ),
          )}
        </div>
        <Button type="submit" variant="primary" busy={predict.isPending}>
          Show predictions
        </Button>
      </form>
      {unplaced && <ErrorCallout title="Could not compute the predictions" error={predict.error} />}
      <div aria-live="polite">{predict.data && !predict.isPending && <Prediction analysis={predict.data} design={design} asked={asked} />}</div>
    </Section>
  );
}

function Prediction({ analysis, design, asked }: { analysis: BanditAnalysis; design: StoredBanditDesign; asked: string }) {
  const format = rewardFormatter(design.reward_type);
  const noun = rewardNoun(design.reward_type);
  const arms = analysis.arm_analyses;
  const learned = analysis.n_outcomes > 0;
  const leader = learned ? [...arms].sort((a, b) => (b.post_pred_mean ?? -Infinity) - (a.post_pred_mean ?? -Infinity))[0] : undefined;
  const range = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '—' : `${format(lo)} to ${format(hi)}`);
  return (
    <div className="stack bandit-page-prediction">
      <p>
        {leader && leader.post_pred_mean !== null
          ? `For a participant with ${asked}, ${leader.arm_name} looks best: expected ${noun} ${format(leader.post_pred_mean)} (95% credible interval ${range(leader.post_pred_ci_lower, leader.post_pred_ci_upper)}).`
          : `No outcomes yet, so for a participant with ${asked} every arm is still at its starting belief.`}
      </p>
      <IntervalPlot
        title={`Expected ${noun} by arm for this participant`}
        caption="Dots are the expected values for these context values; bars are 95% credible intervals."
        rows={arms.map((a) => ({
          key: a.arm_id,
          label: a.arm_name,
          estimate: a.post_pred_mean,
          lower: a.post_pred_ci_lower,
          upper: a.post_pred_ci_upper,
          tone: a.arm_id === leader?.arm_id ? 'better' : 'neutral',
        }))}
        format={format}
        columns={{ estimate: `Expected ${noun}`, interval: '95% credible interval' }}
      />
      <div className="table-wrap">
        <table className="table">
          <caption>Predictions for {asked}</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">
                Expected {noun}
              </th>
              <th scope="col" className="num">
                95% credible interval
              </th>
              <th scope="col" className="num">
                Before any outcome
              </th>
            </tr>
          </thead>
          <tbody>
            {arms.map((a) => (
              <tr key={a.arm_id}>
                <th scope="row">
                  {a.arm_name}
                  {a.arm_id === leader?.arm_id && (
                    <>
                      {' '}
                      <Badge tone="success">leading</Badge>
                    </>
                  )}
                </th>
                <td className="num">{a.post_pred_mean === null ? '—' : format(a.post_pred_mean)}</td>
                <td className="num nowrap">{range(a.post_pred_ci_lower, a.post_pred_ci_upper)}</td>
                <td className="num">{a.prior_pred_mean === null ? '—' : format(a.prior_pred_mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
