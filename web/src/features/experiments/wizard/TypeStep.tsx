/**
 * Step 2: the type of experiment (no default: the choice decides how the backend integrates). A/B tests and
 * bandits share one radio group, so the whole choice is one Tab stop with arrow keys inside it; a short
 * comparison says when a bandit is the better pick.
 */
import { useId } from 'react';
import type { StepProps } from './StepFrame.tsx';
import type { ExperimentKind } from './state.ts';
import { FieldError } from '../../../ui/Field.tsx';

interface KindCard {
  readonly kind: ExperimentKind;
  readonly title: string;
  readonly text: string;
}

const AB_TESTS: readonly KindCard[] = [
  {
    kind: 'freq_preassigned',
    title: 'Preassigned',
    text: 'Equipoise samples participants from your table now and splits them into arms by stratified randomisation, so the arms start out balanced. Your backend looks up each participant’s arm. Best when you know everyone in advance, e.g. a messaging campaign.',
  },
  {
    kind: 'freq_online',
    title: 'Online',
    text: 'Participants are assigned when your backend first asks for them, so people who arrive later can join. Best for apps and websites.',
  },
];

const BANDITS: readonly KindCard[] = [
  {
    kind: 'mab_online',
    title: 'Multi-armed bandit',
    text: 'Your backend asks for an arm for each participant and reports the outcome (e.g. clicked or not). No warehouse needed.',
  },
  {
    kind: 'mab_online_dwh',
    title: 'Bandit with warehouse outcomes',
    text: 'The same, with the outcome bound to a yes/no or number column of a warehouse table, checked when you create it.',
  },
  {
    kind: 'cmab_online',
    title: 'Contextual bandit',
    text: 'Learns which arm works best for whom: your backend sends a few facts about each participant (e.g. returning visitor, age), and the best arm can differ between them.',
  },
];

function Cards({ cards, state, dispatch, id, labelledBy }: Pick<StepProps, 'state' | 'dispatch'> & { cards: readonly KindCard[]; id: string; labelledBy: string }) {
  return (
    <div className="choice-cards" role="group" aria-labelledby={labelledBy}>
      {cards.map((k) => (
        <label key={k.kind} className={`choice-card${state.kind === k.kind ? ' choice-card-selected' : ''}`}>
          <input
            type="radio"
            name="experiment-kind"
            value={k.kind}
            checked={state.kind === k.kind}
            onChange={() => dispatch({ type: 'kind', kind: k.kind })}
            aria-labelledby={`${id}-${k.kind}-title`}
            aria-describedby={`${id}-${k.kind}-text`}
          />
          <span>
            <span className="choice-card-title" id={`${id}-${k.kind}-title`}>
              {k.title}
            </span>
            <span className="choice-card-text" id={`${id}-${k.kind}-text`}>
              {k.text}
            </span>
          </span>
        </label>
      ))}
    </div>
  );
}

export function TypeStep({ state, dispatch, errorFor }: StepProps) {
  const id = useId();
  return (
    <div className="stack">
      <fieldset className="fieldset">
        <legend>Type of experiment</legend>
        <h3 className="kind-family" id={`${id}-ab`}>
          A/B tests <span className="muted small">— a fixed split, then a verdict</span>
        </h3>
        <Cards cards={AB_TESTS} state={state} dispatch={dispatch} id={id} labelledBy={`${id}-ab`} />
        <h3 className="kind-family" id={`${id}-bandits`}>
          Bandits <span className="muted small">— the split moves toward what works</span>
        </h3>
        <Cards cards={BANDITS} state={state} dispatch={dispatch} id={id} labelledBy={`${id}-bandits`} />
        <FieldError>{errorFor('experiment_type')}</FieldError>
      </fieldset>
      <details className="kind-help">
        <summary>A/B test or bandit?</summary>
        <p>
          An <strong>A/B test</strong> keeps the split between arms fixed until the end, then tells you how sure you can be that one arm is better, and by how much. Pick it when
          you need a clear answer to report or a decision to defend, e.g. whether a programme change works.
        </p>
        <p>
          A <strong>bandit</strong> keeps learning while it runs: after each outcome it sends more participants to the arms doing best, so fewer people get a worse version.
          Pick it when you care most about good outcomes during the experiment, have quick outcomes (a click, a reply, a sign-up) and several options to try, e.g. message
          wordings. Its answer is “which arm is most likely best”, not an effect size with a p-value.
        </p>
      </details>
      {state.kind === 'freq_online' && (
        <fieldset className="fieldset">
          <legend>How arms are chosen</legend>
          <div className="choice-list">
            <label className="radio-row">
              <input type="radio" name="assignment-mode" checked={state.assignmentMode === 'random'} onChange={() => dispatch({ type: 'assignment_mode', mode: 'random' })} />
              <span>
                At random <span className="muted small">— drawn on a participant’s first request and stored.</span>
              </span>
            </label>
            <label className="radio-row">
              <input type="radio" name="assignment-mode" checked={state.assignmentMode === 'hash'} onChange={() => dispatch({ type: 'assignment_mode', mode: 'hash' })} />
              <span>
                By hash <span className="muted small">— GrowthBook-compatible: an SDK can compute every participant’s arm offline.</span>
              </span>
            </label>
          </div>
          <FieldError>{errorFor('assignment_mode')}</FieldError>
        </fieldset>
      )}
    </div>
  );
}
