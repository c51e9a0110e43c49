/**
 * The caller's organizations side by side (the header's switcher shows only names), switching between them,
 * and creating another one, which becomes the current organization at once.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { SwitchToOrganization } from '../../org/SwitchToOrganization.tsx';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { formatDate, formatInteger } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useFocusWhenOpen } from './useFocusWhenOpen.ts';
import { ORGANIZATION_NAME_MAX, organizationNameProblem } from './validation.ts';

export function OrganizationsSection() {
  const { organizations } = useOrganization();
  const [creating, setCreating] = useState(false);
  return (
    <Section
      title="Your organizations"
      id="your-organizations"
      actions={
        <Button onClick={() => setCreating(true)}>New organization</Button>
      }
    >
      <p className="muted section-intro">Each organization is a separate workspace with its own members, datasources, webhooks, experiments and audit log.</p>
      <div className="table-wrap">
        <table className="table org-list-table">
          <caption className="visually-hidden">Your organizations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Members
              </th>
              <th scope="col" className="num">
                Experiments
              </th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {organizations.map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.name}</th>
                <td className="num">{formatInteger(o.user_count)}</td>
                <td className="num">{formatInteger(o.experiment_count)}</td>
                <td>{formatDate(o.created_at)}</td>
                <td className="actions">
                  <SwitchToOrganization organization={o} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CreateOrganizationDialog open={creating} onClose={() => setCreating(false)} />
    </Section>
  );
}

function CreateOrganizationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const { select } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  useFocusWhenOpen(open, 'create-organization-name');
  const create = useMutation({
    mutationFn: (n: string) => api.post<{ id: string }>('/v1/m/organizations', { name: n }),
    onSuccess: async ({ id }, n) => {
      // The list must know the new organization before it can become the current one.
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
      close();
      select(id);
      toast(`Organization “${n}” created; you are now working in it`);
    },
  });
  function close() {
    setName('');
    setProblem(undefined);
    create.reset();
    onClose();
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    const local = organizationNameProblem(name);
    setProblem(local);
    if (!local) create.mutate(name.trim());
  }
  const serverField = create.error instanceof ApiError ? create.error.fieldMessage('name') : undefined;
  return (
    <Dialog
      open={open}
      title="Create an organization"
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form="create-organization-form" variant="primary" busy={create.isPending}>
            Create organization
          </Button>
        </>
      }
    >
      <form id="create-organization-form" onSubmit={submit} noValidate className="stack">
        <p>You become its first member. It starts with an “API only” datasource; add your warehouse, invite colleagues and set up webhooks from there.</p>
        <TextField
          id="create-organization-name"
          label="Organization name"
          required
          value={name}
          error={problem ?? serverField}
          hint={`Up to ${ORGANIZATION_NAME_MAX} characters; you can rename it later.`}
          onChange={(e) => {
            setName(e.target.value);
            if (problem) setProblem(undefined);
          }}
        />
        {create.isError && !serverField && <ErrorCallout title="Could not create the organization" error={create.error} />}
      </form>
    </Dialog>
  );
}
