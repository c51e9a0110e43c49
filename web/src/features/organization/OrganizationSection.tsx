/**
 * The organization itself: its name (renamed in place: Rename, type, Enter to save or Escape to cancel, and
 * focus goes back to Rename), its id to copy into API calls, and what it holds.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import type { OrganizationSummary } from '../../api/types.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { TextField } from '../../ui/Field.tsx';
import { formatDate, formatInteger } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { organizationKeys, organizationPaths } from './api.ts';
import { ORGANIZATION_NAME_MAX, organizationNameProblem } from './validation.ts';

export function OrganizationSection({ organization }: { organization: OrganizationSummary }) {
  const [editing, setEditing] = useState(false);
  const nameRow = useRef<HTMLSpanElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    // Back from the form (saved or cancelled): keyboard users continue where they started.
    if (wasEditing.current && !editing) nameRow.current?.querySelector('button')?.focus();
    wasEditing.current = editing;
  }, [editing]);

  return (
    <Section title="Organization" id="org-facts">
      <dl className="facts">
        <dt>Name</dt>
        <dd>
          {editing ? (
            <RenameForm organization={organization} onDone={() => setEditing(false)} />
          ) : (
            <span className="org-settings-name" ref={nameRow}>
              <strong>{organization.name}</strong>
              <Button size="small" onClick={() => setEditing(true)}>
                Rename
              </Button>
            </span>
          )}
        </dd>
        <dt>Organization ID</dt>
        <dd>
          <CopyValue value={organization.id} what="organization ID" />
        </dd>
        <dt>Created</dt>
        <dd>{formatDate(organization.created_at)}</dd>
        <dt>Members</dt>
        <dd>{formatInteger(organization.user_count)}</dd>
        <dt>Experiments</dt>
        <dd>{formatInteger(organization.experiment_count)}</dd>
      </dl>
    </Section>
  );
}

function RenameForm({ organization, onDone }: { organization: OrganizationSummary; onDone: () => void }) {
  const [name, setName] = useState(organization.name);
  const [problem, setProblem] = useState<string | undefined>();
  const queryClient = useQueryClient();
  const toast = useToast();
  const rename = useMutation({
    mutationFn: (next: string) => api.patch(organizationPaths.organization(organization.id), { name: next }),
    onSuccess: async (_, next) => {
      toast(`Organization renamed to “${next}”`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['organizations'] }), queryClient.invalidateQueries({ queryKey: organizationKeys.all(organization.id) })]);
      onDone();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const local = organizationNameProblem(name);
    setProblem(local);
    if (local) return;
    if (name.trim() === organization.name) return onDone();
    rename.mutate(name.trim());
  }
  const serverField = rename.error instanceof ApiError ? rename.error.fieldMessage('name') : undefined;
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Rename organization">
      <TextField
        label="Organization name"
        value={name}
        autoFocus
        error={problem ?? serverField}
        hint={`Up to ${ORGANIZATION_NAME_MAX} characters. Enter saves, Escape cancels.`}
        onChange={(e) => {
          setName(e.target.value);
          if (problem) setProblem(undefined);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onDone();
          }
        }}
      />
      <div className="inline-form-actions">
        <Button type="submit" variant="primary" busy={rename.isPending}>
          Save name
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
      {rename.isError && !serverField && <ErrorCallout title="Could not rename the organization" error={rename.error} />}
    </form>
  );
}
