/**
 * Adding a datasource, or changing a saved one's settings, with a **Test connection** button that tries
 * the settings as typed, before anything is saved, and puts what failed next to the field to fix. On edit
 * the warehouse type is fixed and a blank password or key keeps the saved one.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../ui/Callout.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { RadioGroup } from '../../ui/RadioGroup.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { datasourceKeys, datasourcePaths, type ConnectionTest, type DatasourceDetail } from './api.ts';
import { ConnectionResult, PROBLEM_TITLES } from './ConnectionResult.tsx';
import { DatasourceFields } from './DatasourceFields.tsx';
import {
  changeType,
  dsnFromForm,
  emptyForm,
  fieldErrorsFromApi,
  formFieldOfPath,
  formFromDsn,
  WAREHOUSE_TYPES,
  type DatasourceForm,
  type FieldErrors,
  type WarehouseType,
} from './datasource-form.ts';

export interface DatasourceDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly organizationId: string;
  /** The datasource to edit; absent to add a new one. */
  readonly existing?: DatasourceDetail | undefined;
}

/** Server problems as field messages, plus what belongs to no field (shown under the form). */
function explain(err: unknown): { fields: FieldErrors; other: unknown } {
  if (err instanceof ApiError && err.status === 422) {
    const { fields, other } = fieldErrorsFromApi(err);
    return { fields, other: other.length > 0 ? new ApiError(422, other.join('; ')) : null };
  }
  // Create checks the host against the SSRF guard before saving and answers 400 "DNS resolution failed…".
  if (err instanceof ApiError && err.status === 400 && /^DNS resolution failed/.test(err.message)) return { fields: { host: err.message }, other: null };
  return { fields: {}, other: err };
}

export function DatasourceDialog({ open, onClose, organizationId, existing }: DatasourceDialogProps) {
  const editing = existing !== undefined;
  const apiOnly = existing?.driver === 'none';
  const initial = () => (existing ? formFromDsn(existing.name, existing.dsn) : emptyForm());
  const [form, setForm] = useState<DatasourceForm>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<unknown>(null);
  const [tested, setTested] = useState<ConnectionTest | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();

  // Each opening starts from the saved settings (or a blank form), not from an abandoned edit.
  useEffect(() => {
    if (open) {
      setForm(initial());
      setErrors({});
      setOther(null);
      setTested(null);
    }
  }, [open]);

  // The result appears below the fields, which may be scrolled out of view inside the dialog.
  useEffect(() => {
    if (tested) resultRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [tested]);

  const test = useMutation({
    mutationFn: (dsn: Record<string, unknown>) =>
      existing ? api.post<ConnectionTest>(datasourcePaths.test(existing.id), { dsn }) : api.post<ConnectionTest>(datasourcePaths.testNew(organizationId), { dsn }),
    onSuccess: (result) => {
      setTested(result);
      if (!result.ok && result.problem.field) {
        const field = formFieldOfPath(`dsn.${result.problem.field}`);
        if (field) setErrors((e) => ({ ...e, [field]: `${PROBLEM_TITLES[result.problem.code]}: see below.` }));
      }
    },
    onError: (err) => {
      const { fields, other: rest } = explain(err);
      setErrors(fields);
      setOther(rest);
    },
  });

  const save = useMutation({
    mutationFn: async (body: { name: string; dsn?: Record<string, unknown> }) => {
      if (existing) {
        await api.patch(datasourcePaths.one(existing.id), body);
        return existing.id;
      }
      return (await api.post<{ id: string }>(datasourcePaths.create(), { organization_id: organizationId, ...body })).id;
    },
    onSuccess: async (id) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['datasources'] }), queryClient.invalidateQueries({ queryKey: datasourceKeys.one(id) })]);
      toast(editing ? 'Datasource settings saved' : `Datasource “${form.name.trim()}” added`);
      onClose();
      if (!editing) navigate(`/datasources/${encodeURIComponent(id)}`);
    },
    onError: (err) => {
      const { fields, other: rest } = explain(err);
      setErrors(fields);
      setOther(rest);
    },
  });

  function update(patch: Partial<DatasourceForm>) {
    setForm((f) => ({ ...f, ...patch }));
    const keys = Object.keys(patch) as (keyof DatasourceForm)[];
    setErrors((e) => {
      const next = { ...e };
      for (const k of keys) delete next[k];
      return next;
    });
    // A test result describes the settings it tried; once they change it no longer applies.
    if (keys.some((k) => k !== 'name')) setTested(null);
  }

  function collect(): Record<string, unknown> | null {
    setOther(null);
    const result = dsnFromForm(form, editing ? 'edit' : 'create');
    const nameError = form.name.trim() === '' ? { name: 'Give the datasource a name.' } : {};
    if (!result.ok) {
      setErrors({ ...result.errors, ...nameError });
      return null;
    }
    setErrors(nameError);
    return result.dsn;
  }

  function runTest() {
    const result = dsnFromForm(form, editing ? 'edit' : 'create');
    setOther(null);
    setTested(null);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    test.mutate(result.dsn);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (apiOnly) {
      if (form.name.trim() === '') return setErrors({ name: 'Give the datasource a name.' });
      return save.mutate({ name: form.name.trim() });
    }
    const dsn = collect();
    if (dsn && form.name.trim() !== '') save.mutate({ name: form.name.trim(), dsn });
  }

  // The footer's submit button sits outside the form and joins it by id (so Enter in a field submits too).
  const formId = `datasource-form-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const title = editing ? (apiOnly ? 'Rename datasource' : 'Edit datasource settings') : 'Add datasource';
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      wide
      footer={
        <>
          {!apiOnly && (
            <Button className="footer-left" onClick={runTest} busy={test.isPending} disabled={save.isPending}>
              Test connection
            </Button>
          )}
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending}>
            {editing ? 'Save changes' : 'Save datasource'}
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          required
          maxLength={255}
          value={form.name}
          error={errors.name}
          hint="How this warehouse is called in Equipoise, e.g. “Production replica”."
          onChange={(e) => update({ name: e.target.value })}
          data-autofocus
        />
        {apiOnly ? (
          <Callout tone="info" title="API only">
            This datasource has no warehouse: its experiments are driven entirely through the integration API, which reports assignments and outcomes. Only its
            name can change.
          </Callout>
        ) : (
          <>
            {editing ? (
              <p className="muted small">
                Warehouse type: <strong>{WAREHOUSE_TYPES.find((t) => t.type === form.type)?.label}</strong>. To use another kind of warehouse, add a new datasource.
              </p>
            ) : (
              <RadioGroup<WarehouseType>
                legend="Warehouse type"
                inline
                options={WAREHOUSE_TYPES.map((t) => ({ value: t.type, label: t.label, hint: t.hint }))}
                value={form.type}
                onChange={(type) => {
                  setForm((f) => changeType(f, type));
                  setErrors({});
                  setTested(null);
                }}
              />
            )}
            <DatasourceFields form={form} errors={errors} editing={editing} onChange={update} />
          </>
        )}
      </form>
      <div aria-live="polite" ref={resultRef}>
        {test.isPending && <p className="muted">Trying to connect… (a warehouse that does not answer takes up to 15 seconds to give up)</p>}
        {tested && <ConnectionResult result={tested} />}
      </div>
      {other !== null && <ErrorCallout error={other} title={editing ? 'Could not save the changes' : 'Could not add the datasource'} />}
    </Dialog>
  );
}
