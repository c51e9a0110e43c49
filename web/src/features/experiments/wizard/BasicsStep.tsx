/** Step 1: what the experiment is called, why it is run, when, and which webhooks hear of it. */
import { Link } from 'react-router';
import { ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { CheckboxField, FieldError, TextAreaField, TextField } from '../../../ui/Field.tsx';
import type { WebhookSummary } from '../api-types.ts';
import type { StepProps } from './StepFrame.tsx';
import type { WizardAction } from './state.ts';

export interface WebhookChoices {
  readonly items: readonly WebhookSummary[] | undefined;
  readonly loading: boolean;
  readonly error: unknown;
  readonly retry: () => void;
}

export function BasicsStep({ state, dispatch, errorFor, touch, webhooks }: StepProps & { webhooks: WebhookChoices }) {
  const b = state.basics;
  const set = (patch: Extract<WizardAction, { type: 'basics' }>['patch']) => dispatch({ type: 'basics', patch });
  return (
    <div className="stack">
      <TextField
        label="Name"
        required
        value={b.name}
        maxLength={100}
        onChange={(e) => set({ name: e.target.value })}
        onBlur={() => touch('experiment_name')}
        error={errorFor('experiment_name')}
        hint="Short and specific, e.g. “WhatsApp reminder, Kenya, December”."
      />
      <TextAreaField
        label="Hypothesis / description"
        value={b.description}
        maxLength={2000}
        onChange={(e) => set({ description: e.target.value })}
        onBlur={() => touch('description')}
        error={errorFor('description')}
        hint="What you expect to change, for whom, and why. Shown to everyone who opens the experiment."
      />
      <TextField
        label="Design document URL"
        type="url"
        inputMode="url"
        value={b.designUrl}
        placeholder="https://"
        onChange={(e) => set({ designUrl: e.target.value })}
        onBlur={() => touch('design_url')}
        error={errorFor('design_url')}
        hint="Optional: a link to the full design or pre-registration."
      />
      <div className="grid-2">
        <TextField
          label="Start date (UTC)"
          type="date"
          required
          value={b.startDate}
          onChange={(e) => set({ startDate: e.target.value })}
          onBlur={() => touch('start_date')}
          error={errorFor('start_date')}
          hint="Online assignment begins on this day."
        />
        <TextField
          label="End date (UTC)"
          type="date"
          required
          value={b.endDate}
          min={b.startDate || undefined}
          onChange={(e) => set({ endDate: e.target.value })}
          onBlur={() => touch('end_date')}
          error={errorFor('end_date')}
          hint="Inclusive: the experiment runs until the end of this day."
        />
      </div>
      <fieldset className="fieldset">
        <legend>Webhooks to notify</legend>
        <p className="field-hint">Each chosen webhook receives experiment.created when you commit the experiment.</p>
        {webhooks.loading ? (
          <Loading label="Loading your webhooks…" />
        ) : webhooks.error ? (
          <ErrorCallout title="Could not load your webhooks" error={webhooks.error} onRetry={webhooks.retry} />
        ) : (webhooks.items ?? []).length === 0 ? (
          <p className="muted">
            No webhooks yet. <Link to="/webhooks">Add a webhook</Link> if your backend should hear about new experiments; you can go on without one.
          </p>
        ) : (
          <div className="choice-list">
            {(webhooks.items ?? []).map((w) => (
              <CheckboxField
                key={w.id}
                label={w.name || w.url || w.id}
                hint={[w.url, w.enabled ? null : 'disabled'].filter(Boolean).join(' · ')}
                checked={b.webhookIds.includes(w.id)}
                onChange={() => dispatch({ type: 'toggle_webhook', id: w.id })}
              />
            ))}
          </div>
        )}
        <FieldError>{errorFor('webhooks')}</FieldError>
      </fieldset>
    </div>
  );
}
