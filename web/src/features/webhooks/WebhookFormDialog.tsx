/**
 * Add or edit a webhook: name, URL and the event types it receives (with what each means). Obvious mistakes
 * are caught before sending; everything the server rejects (an unreachable host, a private address) is shown
 * next to its field, and the input is kept.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { CheckboxField, TextField } from '../../ui/Field.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useEventTypes, webhookKeys, webhookPath, webhooksPath, type Webhook, type WebhookInput, type WebhookWithSecrets } from './api.ts';
import { WebhookCreated } from './WebhookCreated.tsx';

type FieldErrors = Partial<Record<'name' | 'url' | 'event_types', string>>;

/** What can be checked without the server; the server checks the host (DNS, private addresses). */
export function checkWebhookInput(input: WebhookInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.name.trim()) errors.name = 'Give the webhook a name, so you can tell it apart in lists and logs.';
  const url = input.url.trim();
  if (!url) errors.url = 'Enter the URL of your receiver, e.g. https://backend.example.org/hooks/equipoise.';
  else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
      errors.url = 'Enter a full http:// or https:// URL, e.g. https://backend.example.org/hooks/equipoise.';
    }
  }
  if (input.event_types.length === 0) errors.event_types = 'Choose at least one event type.';
  return errors;
}

function serverErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const f of err.fields) {
    const field = f.path.split('.')[0];
    if (field === 'name' || field === 'url' || field === 'event_types') out[field] ??= f.message.charAt(0).toUpperCase() + f.message.slice(1);
  }
  return out;
}

/**
 * One dialog for adding and editing. Adding ends on "Webhook created", which shows what the receiver needs
 * (the secrets are in the creation answer only, so this is the moment to copy them).
 */
export function WebhookFormDialog({ open, onClose, webhook }: { open: boolean; onClose: () => void; webhook?: Webhook }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const formId = useId();
  const [created, setCreated] = useState<WebhookWithSecrets | null>(null);
  const toast = useToast();
  const save = useMutation({
    mutationFn: async (input: WebhookInput) => {
      if (webhook) {
        await api.patch(webhookPath(current.id, webhook.id), { name: input.name, url: input.url, event_types: input.event_types });
        return null;
      }
      return api.post<WebhookWithSecrets>(webhooksPath(current.id), input);
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) });
      if (result) setCreated(result);
      else {
        toast('Webhook saved');
        onClose();
      }
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      reset();
      setCreated(null);
    }
  }, [open, reset]);

  if (created) {
    return (
      <Dialog
        open={open}
        title="Webhook created"
        onClose={onClose}
        wide
        footer={
          <>
            <Button onClick={onClose}>Done</Button>
            <Button
              variant="primary"
              onClick={() => {
                onClose();
                void navigate(`/webhooks/${created.id}`);
              }}
            >
              Open webhook page
            </Button>
          </>
        }
      >
        <WebhookCreated webhook={created} />
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      title={webhook ? 'Edit webhook' : 'Add webhook'}
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending}>
            {webhook ? 'Save changes' : 'Add webhook'}
          </Button>
        </>
      }
    >
      {open && <WebhookForm formId={formId} webhook={webhook} error={save.error} onSubmit={(input) => save.mutate(input)} onInvalid={reset} />}
    </Dialog>
  );
}

function WebhookForm({
  formId,
  webhook,
  error,
  onSubmit,
  onInvalid,
}: {
  formId: string;
  webhook: Webhook | undefined;
  error: unknown;
  onSubmit: (input: WebhookInput) => void;
  onInvalid: () => void;
}) {
  const types = useEventTypes();
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [eventTypes, setEventTypes] = useState<string[]>(webhook ? [...webhook.event_types] : ['experiment.created']);
  const [ed25519, setEd25519] = useState(false);
  const [checked, setChecked] = useState<FieldErrors>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const input: WebhookInput = { name: name.trim(), url: url.trim(), event_types: eventTypes, ...(webhook ? {} : { ed25519 }) };
    const errors = checkWebhookInput(input);
    setChecked(errors);
    onInvalid();
    if (Object.keys(errors).length === 0) onSubmit(input);
  }

  const fromServer = serverErrors(error);
  const errors: FieldErrors = { ...checked, ...fromServer };
  const otherError = error && Object.keys(fromServer).length === 0 ? error : null;
  const typesErrorId = `${formId}-types-error`;

  return (
    <form id={formId} className="stack" onSubmit={submit} noValidate aria-label={webhook ? 'Edit webhook' : 'Add webhook'}>
      <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} maxLength={100} error={errors.name} data-autofocus hint="For people: shown in lists, the delivery log and mails." />
      <TextField
        label="URL"
        required
        type="url"
        inputMode="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        maxLength={500}
        error={errors.url}
        placeholder="https://backend.example.org/hooks/equipoise"
        hint="Your receiver. Equipoise POSTs JSON here and never follows redirects."
      />
      <fieldset className="event-type-choices" aria-describedby={errors.event_types ? typesErrorId : undefined}>
        <legend>Event types</legend>
        {types.isPending && <Loading label="Loading event types…" />}
        {types.isError && <ErrorCallout title="Could not load the event types" error={types.error} onRetry={() => void types.refetch()} />}
        {types.data?.items.map((t) => (
          <CheckboxField
            key={t.type}
            label={<code>{t.type}</code>}
            hint={t.description}
            checked={eventTypes.includes(t.type)}
            onChange={(e) => setEventTypes((cur) => (e.target.checked ? [...cur, t.type] : cur.filter((x) => x !== t.type)))}
          />
        ))}
        {errors.event_types && (
          <div id={typesErrorId} className="field-error" role="alert">
            {errors.event_types}
          </div>
        )}
      </fieldset>
      {!webhook && (
        <CheckboxField
          label="Also sign with Ed25519"
          hint="Adds a v1a signature and publishes a public key (whpk_…), so a receiver can verify deliveries without holding any secret."
          checked={ed25519}
          onChange={(e) => setEd25519(e.target.checked)}
        />
      )}
      {otherError !== null && <ErrorCallout title={webhook ? 'Could not save the webhook' : 'Could not add the webhook'} error={otherError} />}
    </form>
  );
}
