/**
 * The experiment's registry entry — name, hypothesis, design document, dates, decision and impact — read
 * first, edited in place (committed experiments only, as the API allows), with problems next to the inputs.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../../api/client.ts';
import { ApiError } from '../../../api/errors.ts';
import { Button } from '../../../ui/Button.tsx';
import { ErrorCallout } from '../../../ui/Callout.tsx';
import { SelectField, TextAreaField, TextField } from '../../../ui/Field.tsx';
import { Section } from '../../../ui/Page.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { experimentKeys, experimentPath } from '../queries.ts';
import { formatUtcDate } from '../status.ts';
import { IMPACTS, registryFormOf, registryPatch, registryProblems, type Impact, type RegistryForm } from './registry.ts';

export function RegistrySection({ config, editing, onEditingChange }: { config: ExperimentConfig; editing: boolean; onEditingChange: (on: boolean) => void }) {
  const d = config.design_spec;
  // Focus goes into the form when it opens and back to "Edit registry" when it closes (saved or cancelled).
  const wasEditing = useRef(editing);
  useEffect(() => {
    if (editing && !wasEditing.current) document.querySelector<HTMLElement>('#registry-form input')?.focus();
    if (!editing && wasEditing.current) document.getElementById('edit-registry')?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const editable = config.state === 'committed';
  const impact = IMPACTS.find((i) => i.value === config.impact);
  return (
    <Section
      id="registry"
      title="Registry"
      actions={
        editable && !editing ? (
          <Button size="small" id="edit-registry" onClick={() => onEditingChange(true)}>
            Edit registry
          </Button>
        ) : undefined
      }
    >
      {editing ? (
        <RegistryEditor config={config} onDone={() => onEditingChange(false)} />
      ) : (
        <>
          <dl className="facts">
            <dt>Hypothesis</dt>
            <dd className="prewrap">{d.description || <span className="muted">none</span>}</dd>
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
            <dt>Dates</dt>
            <dd>
              {formatUtcDate(d.start_date)} – {formatUtcDate(d.end_date)} <span className="muted small">(UTC)</span>
            </dd>
            <dt>Decision</dt>
            <dd className="prewrap">{config.decision || <span className="muted">not recorded yet</span>}</dd>
            <dt>Impact</dt>
            <dd>{config.impact ? (impact?.label ?? config.impact) : <span className="muted">not recorded yet</span>}</dd>
          </dl>
          {!editable && <p className="field-hint">The registry can be edited once the experiment is committed.</p>}
        </>
      )}
    </Section>
  );
}

function RegistryEditor({ config, onDone }: { config: ExperimentConfig; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<RegistryForm>(() => registryFormOf(config));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const problems = registryProblems(form);
  const save = useMutation({
    mutationFn: (patch: Record<string, string>) => api.patch(experimentPath(config.datasource_id, config.experiment_id), patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      toast('Registry saved.');
      onDone();
    },
  });
  const serverError = save.error instanceof ApiError ? save.error : null;
  const errorFor = (field: keyof RegistryForm) => serverError?.fieldMessage(field) ?? (touched.has(field) || save.isError ? problems[field] : undefined);
  const set = (patch: Partial<RegistryForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    save.reset();
  };
  const blur = (field: string) => () => setTouched((t) => new Set(t).add(field));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(new Set(Object.keys(form)));
    if (Object.keys(problems).length > 0) return;
    const patch = registryPatch(config, form);
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    save.mutate(patch);
  };
  const general = serverError && serverError.fields.length === 0 ? serverError : save.error && !serverError ? save.error : null;
  const firstProblem = Object.values(problems)[0];
  return (
    <form
      className="stack"
      onSubmit={submit}
      noValidate
      id="registry-form"
      aria-label="Edit registry"
      onKeyDown={(e) => {
        // Escape cancels, as it closes a dialog.
        if (e.key === 'Escape' && !save.isPending) onDone();
      }}
    >
      <TextField label="Name" required maxLength={100} value={form.name} onChange={(e) => set({ name: e.target.value })} onBlur={blur('name')} error={errorFor('name')} />
      <TextAreaField label="Hypothesis / description" maxLength={2000} value={form.description} onChange={(e) => set({ description: e.target.value })} onBlur={blur('description')} error={errorFor('description')} />
      <TextField
        label="Design document URL"
        type="url"
        value={form.design_url}
        onChange={(e) => set({ design_url: e.target.value })}
        onBlur={blur('design_url')}
        error={errorFor('design_url')}
        hint="Leave empty to remove the link."
      />
      <div className="grid-2">
        <TextField label="Start date (UTC)" type="date" required value={form.start_date} onChange={(e) => set({ start_date: e.target.value })} onBlur={blur('start_date')} error={errorFor('start_date')} />
        <TextField
          label="End date (UTC)"
          type="date"
          required
          value={form.end_date}
          min={form.start_date || undefined}
          onChange={(e) => set({ end_date: e.target.value })}
          onBlur={blur('end_date')}
          error={errorFor('end_date')}
          hint={config.stopped_assignments_reason === 'end_date' ? 'Moving the end date past today lets assignment start again.' : 'Inclusive: runs until the end of this day.'}
        />
      </div>
      <TextAreaField
        label="Decision"
        maxLength={2000}
        value={form.decision}
        onChange={(e) => set({ decision: e.target.value })}
        onBlur={blur('decision')}
        error={errorFor('decision')}
        hint="What you decided because of the result, e.g. “roll out the reminder to every country”."
      />
      <SelectField
        label="Impact"
        value={form.impact}
        onChange={(e) => set({ impact: e.target.value as Impact })}
        error={errorFor('impact')}
        hint="How much the change mattered in practice; not the measured effect size."
        options={IMPACTS.map((i) => ({ value: i.value, label: i.label }))}
      />
      {general && <ErrorCallout title="The registry could not be saved" error={general} />}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending} aria-describedby={firstProblem ? 'registry-problem' : undefined}>
          Save registry
        </Button>
        <Button onClick={onDone}>Cancel</Button>
        {firstProblem && touched.size > 0 && (
          <span className="muted small" id="registry-problem">
            {firstProblem}
          </span>
        )}
      </div>
    </form>
  );
}
