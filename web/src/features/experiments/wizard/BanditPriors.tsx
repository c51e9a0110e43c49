/**
 * What a bandit believes about its arms before any outcome arrives, on the Arms step: either a simple chance
 * of winning per arm (the server turns it into priors) or the priors themselves, Beta α/β for yes/no
 * outcomes and Normal μ/σ for numbers and contextual bandits, each with a line saying what it means.
 */
import { useId } from 'react';
import { TextField } from '../../../ui/Field.tsx';
import { priorTypeOf } from './bandit-spec.ts';
import { typedPriorWords } from './typed-bandit-words.ts';
import type { StepProps } from './StepFrame.tsx';
import { isBanditKind, type WizardArm } from './state.ts';

/** The inputs of one arm: its chance of winning, or its prior. */
export function ArmPriorFields({ state, dispatch, errorFor, touch, arm, index }: Pick<StepProps, 'state' | 'dispatch' | 'errorFor' | 'touch'> & { arm: WizardArm; index: number }) {
  if (!isBanditKind(state.kind)) return null;
  const n = index + 1;
  const set = (patch: Partial<Omit<WizardArm, 'key'>>) => dispatch({ type: 'arm_update', key: arm.key, patch });
  if (state.useWeights) {
    return (
      <div className="prior-fields">
        <TextField
          label={`Chance arm ${n} is best (%)`}
          inputMode="decimal"
          value={arm.weight}
          onChange={(e) => set({ weight: e.target.value })}
          onBlur={() => touch(`arms.${index}.arm_weight`)}
          error={errorFor(`arms.${index}.arm_weight`)}
        />
      </div>
    );
  }
  const prior = priorTypeOf(state.kind, state.bandit.rewardType);
  const words = typedPriorWords(arm, state.kind, state.bandit.rewardType);
  const field = (key: 'alpha' | 'beta' | 'mu' | 'sigma', path: string, label: string) => (
    <TextField
      label={label}
      inputMode="decimal"
      required
      value={arm[key]}
      onChange={(e) => set({ [key]: e.target.value })}
      onBlur={() => touch(`arms.${index}.${path}`)}
      error={errorFor(`arms.${index}.${path}`)}
    />
  );
  return (
    <div className="prior-fields">
      {prior === 'beta' ? (
        <>
          {field('alpha', 'alpha_init', `Prior successes α of arm ${n}`)}
          {field('beta', 'beta_init', `Prior failures β of arm ${n}`)}
        </>
      ) : (
        <>
          {field('mu', 'mu_init', `Expected value μ of arm ${n}`)}
          {field('sigma', 'sigma_init', `Uncertainty σ of arm ${n}`)}
        </>
      )}
      {words && <p className="prior-words field-hint">{words}</p>}
    </div>
  );
}

/** Weights or explicit priors: one radio group, with what each means. */
export function PriorModeChoice({ state, dispatch }: Pick<StepProps, 'state' | 'dispatch'>) {
  const id = useId();
  if (!isBanditKind(state.kind)) return null;
  const prior = priorTypeOf(state.kind, state.bandit.rewardType);
  const options = [
    {
      weights: false,
      title: prior === 'beta' ? 'Priors: α and β per arm' : 'Priors: μ and σ per arm',
      text:
        prior === 'beta'
          ? 'α and β read as successes and failures already seen. 1 and 1 on every arm means no opinion.'
          : 'μ is the outcome you expect, σ how unsure you are (about 95% of the belief lies within 2σ of μ). A large σ lets the data decide quickly.',
    },
    {
      weights: true,
      title: 'How likely each arm is to win',
      text: 'A chance per arm, adding up to 100%. Equipoise turns them into priors, so the first participants follow your hunch; the data then take over.',
    },
  ];
  return (
    <fieldset className="fieldset">
      <legend>What you believe before any outcome</legend>
      <div className="choice-cards">
        {options.map((o) => (
          <label key={String(o.weights)} className={`choice-card${state.useWeights === o.weights ? ' choice-card-selected' : ''}`}>
            <input
              type="radio"
              name="prior-mode"
              checked={state.useWeights === o.weights}
              onChange={() => dispatch({ type: 'use_weights', on: o.weights })}
              aria-labelledby={`${id}-${o.weights}-title`}
              aria-describedby={`${id}-${o.weights}-text`}
            />
            <span>
              <span className="choice-card-title" id={`${id}-${o.weights}-title`}>
                {o.title}
              </span>
              <span className="choice-card-text" id={`${id}-${o.weights}-text`}>
                {o.text}
              </span>
            </span>
          </label>
        ))}
      </div>
      <p className="field-hint">
        {prior === 'beta'
          ? 'Using a Beta distribution, because the outcome is yes or no.'
          : state.kind === 'cmab_online'
            ? 'Using a Normal distribution for each context’s effect, because this is a contextual bandit.'
            : 'Using a Normal distribution, because the outcome is a number.'}
      </p>
    </fieldset>
  );
}
