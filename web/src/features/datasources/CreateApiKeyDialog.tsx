/**
 * Creating an API key: a name saying what uses it, its scopes (explained), an optional expiry date and
 * rate limit. After creation the same dialog shows the key once, with client code to copy.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { CheckboxField, FieldError, TextField } from '../../ui/Field.tsx';
import { RadioGroup } from '../../ui/RadioGroup.tsx';
import { datasourceKeys, datasourcePaths, type CreatedApiKey } from './api.ts';
import { BLANK_KEY_FORM, isoDay, keyRequest, SCOPE_HELP, type KeyForm } from './api-key-form.ts';
import { NewKeyPanel } from './NewKeyPanel.tsx';

export function CreateApiKeyDialog({ open, onClose, datasourceId, datasourceName }: { open: boolean; onClose: () => void; datasourceId: string; datasourceName: string }) {
  const [form, setForm] = useState<KeyForm>(BLANK_KEY_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const queryClient = useQueryClient();
  const formId = `api-key-form-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;

  useEffect(() => {
    if (open) {
      setForm(BLANK_KEY_FORM);
      setErrors({});
      setCreated(null);
    }
  }, [open]);

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<CreatedApiKey>(datasourcePaths.apiKeys(datasourceId), body),
    onSuccess: async (key) => {
      setCreated(key);
      await Promise.all([queryClient.invalidateQueries({ queryKey: datasourceKeys.apiKeys(datasourceId) }), queryClient.invalidateQueries({ queryKey: ['datasources'] })]);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 422) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.path.split('.')[0] ?? '', f.message])));
      }
    },
  });

  function set(patch: Partial<KeyForm>) {
    setForm((f) => ({ ...f, ...patch }));
    setErrors({});
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = keyRequest(form);
    if ('errors' in r) return setErrors(r.errors);
    create.mutate(r.body);
  }

  const unexplained = create.isError && !(create.error instanceof ApiError && create.error.status === 422 && create.error.fields.length > 0);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide={created !== null}
      title={created ? 'API key created' : `Create API key for ${datasourceName}`}
      footer={
        created ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" form={formId} variant="primary" busy={create.isPending}>
              Create key
            </Button>
          </>
        )
      }
    >
      {created ? (
        <NewKeyPanel created={created} baseUrl={window.location.origin} />
      ) : (
        <form id={formId} className="stack" onSubmit={submit} noValidate>
          <TextField
            label="Name"
            maxLength={100}
            value={form.name}
            error={errors['name']}
            placeholder="checkout service"
            hint="What will use this key, so you know which one to revoke later."
            onChange={(e) => set({ name: e.target.value })}
            data-autofocus
          />
          <fieldset className={`checkbox-group${errors['scopes'] ? ' field-invalid' : ''}`}>
            <legend>Scopes</legend>
            <CheckboxField label="Read" hint={SCOPE_HELP.read} checked={form.read} onChange={(e) => set({ read: e.target.checked })} />
            <CheckboxField label="Assign" hint={SCOPE_HELP.assign} checked={form.assign} onChange={(e) => set({ assign: e.target.checked })} />
            <FieldError>{errors['scopes']}</FieldError>
          </fieldset>
          <RadioGroup<'never' | 'date'>
            legend="Expires"
            inline
            value={form.expires}
            onChange={(expires) => set({ expires })}
            options={[
              { value: 'never', label: 'Never' },
              { value: 'date', label: 'On a date' },
            ]}
          />
          {form.expires === 'date' && (
            <TextField
              label="Last day the key works"
              type="date"
              required
              min={isoDay(new Date())}
              value={form.expiryDate}
              error={errors['expires_at']}
              hint="It stops working at the end of that day (your time zone)."
              onChange={(e) => set({ expiryDate: e.target.value })}
            />
          )}
          <TextField
            label="Rate limit (requests per second)"
            inputMode="numeric"
            value={form.rateLimit}
            error={errors['rate_limit_per_second']}
            placeholder="server default"
            hint="Requests above it are answered 429. Blank uses the server's default (100 unless configured)."
            onChange={(e) => set({ rateLimit: e.target.value })}
          />
          {unexplained && <ErrorCallout title="Could not create the key" error={create.error} />}
        </form>
      )}
    </Dialog>
  );
}
