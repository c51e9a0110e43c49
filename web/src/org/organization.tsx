/**
 * The organization the user is working in. Kept in localStorage so a reload stays put; falls back to the
 * first of the user's organizations when the stored one is gone (left, deleted). A user with none is asked
 * to create one before anything else.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { OrganizationSummary, Page } from '../api/types.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorCallout, Loading } from '../ui/Callout.tsx';
import { TextField } from '../ui/Field.tsx';

const ORG_KEY = 'equipoise.org';

interface OrganizationState {
  readonly organizations: readonly OrganizationSummary[];
  readonly current: OrganizationSummary;
  select(id: string): void;
}

const OrganizationContext = createContext<OrganizationState | null>(null);

export function useOrganizationsQuery() {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: () => api.get<Page<OrganizationSummary>>('/v1/m/organizations', { page_size: 100 }),
  });
}

export function OrganizationProvider({ children }: { children: ReactNode }) {
  const orgs = useOrganizationsQuery();
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(ORG_KEY));
  const value = useMemo<OrganizationState | null>(() => {
    const items = orgs.data?.items ?? [];
    const current = items.find((o) => o.id === selected) ?? items[0];
    if (!current) return null;
    return {
      organizations: items,
      current,
      select(id) {
        localStorage.setItem(ORG_KEY, id);
        setSelected(id);
      },
    };
  }, [orgs.data, selected]);

  // Remember the fallback choice too: otherwise joining an organization that sorts first would silently
  // switch the user into it on the next refetch.
  const resolved = value?.current.id;
  useEffect(() => {
    if (resolved && resolved !== selected) {
      localStorage.setItem(ORG_KEY, resolved);
      setSelected(resolved);
    }
  }, [resolved, selected]);

  if (orgs.isPending) return <Loading label="Loading your organizations…" />;
  if (orgs.isError) return <ErrorCallout title="Could not load your organizations" error={orgs.error} onRetry={() => void orgs.refetch()} />;
  if (!value) return <FirstOrganization onCreated={(id) => { localStorage.setItem(ORG_KEY, id); setSelected(id); }} />;
  return <OrganizationContext.Provider value={value}>{children}</OrganizationContext.Provider>;
}

export function useOrganization(): OrganizationState {
  const o = useContext(OrganizationContext);
  if (!o) throw new Error('useOrganization outside OrganizationProvider');
  return o;
}

function FirstOrganization({ onCreated }: { onCreated: (id: string) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (n: string) => api.post<{ id: string }>('/v1/m/organizations', { name: n }),
    onSuccess: async ({ id }) => {
      onCreated(id);
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(name.trim());
  }
  return (
    <main className="centered-card">
      <h1>Welcome to Equipoise</h1>
      <p>Create your first organization: a shared workspace with its own datasources, webhooks and experiments.</p>
      <form onSubmit={submit}>
        <TextField label="Organization name" required value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
        {create.isError && <ErrorCallout error={create.error} title="Could not create the organization" />}
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
          Create organization
        </Button>
      </form>
    </main>
  );
}
