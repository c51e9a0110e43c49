/**
 * The datasource's API keys: what each is for, what it may do, when it was last used and when it stops
 * working; create (shown once), rotate with an overlap so clients can switch without a gap, and revoke.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { SelectField } from '../../ui/Field.tsx';
import { formatDate, formatDateTime, formatRelative } from '../../ui/format.ts';
import { useToast } from '../../ui/Toast.tsx';
import { datasourceKeys, datasourcePaths, useApiKeys, type ApiKey, type CreatedApiKey } from './api.ts';
import { CreateApiKeyDialog } from './CreateApiKeyDialog.tsx';
import { NewKeyPanel } from './NewKeyPanel.tsx';

const keyLabel = (k: ApiKey) => k.name || k.id;

const OVERLAPS = [
  { value: '0', label: 'Stop the old key now' },
  { value: '3600', label: 'Keep the old key working for 1 hour' },
  { value: '86400', label: 'Keep the old key working for 24 hours' },
  { value: '604800', label: 'Keep the old key working for 7 days' },
];

export function ApiKeysSection({ datasourceId, datasourceName, createOpen, onCreateOpenChange }: { datasourceId: string; datasourceName: string; createOpen: boolean; onCreateOpenChange: (open: boolean) => void }) {
  const keys = useApiKeys(datasourceId);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const invalidate = () => Promise.all([queryClient.invalidateQueries({ queryKey: datasourceKeys.apiKeys(datasourceId) }), queryClient.invalidateQueries({ queryKey: ['datasources'] })]);

  const revoke = useMutation({
    mutationFn: (k: ApiKey) => api.delete(datasourcePaths.apiKey(datasourceId, k.id)),
    onSuccess: async (_, k) => {
      setRevoking(null);
      toast(`API key “${keyLabel(k)}” revoked`);
      await invalidate();
    },
  });

  const now = Date.now();
  return (
    <>
      {keys.isPending && <Loading label="Loading API keys…" />}
      {keys.isError && <ErrorCallout title="Could not load the API keys" error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.isSuccess && keys.data.items.length === 0 && (
        <div className="empty">
          <h3>No API keys yet</h3>
          <div className="empty-body">Your backend needs a key to fetch assignments and experiment settings from this datasource.</div>
          <div className="empty-action">
            <Button variant="primary" onClick={() => onCreateOpenChange(true)}>
              Create the first API key
            </Button>
          </div>
        </div>
      )}
      {keys.isSuccess && keys.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table ds-table">
            <caption className="visually-hidden">API keys of {datasourceName}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => {
                const expired = k.expires_at !== null && new Date(k.expires_at).getTime() <= now;
                return (
                  <tr key={k.id} className={expired ? 'row-muted' : undefined}>
                    <th scope="row">
                      {k.name || <span className="muted">Unnamed</span>}
                      <div>
                        <code className="small muted">{k.id}</code>
                      </div>
                    </th>
                    <td>
                      {k.scopes.map((s) => (
                        <Badge key={s} tone="info">
                          {s}
                        </Badge>
                      ))}
                      {k.rate_limit_per_second !== null && <div className="small muted">{k.rate_limit_per_second} requests/s</div>}
                    </td>
                    <td>
                      <span title={formatDateTime(k.created_at)}>{formatDate(k.created_at)}</span>
                    </td>
                    <td>{k.last_used_at ? <span title={formatDateTime(k.last_used_at)}>{formatRelative(k.last_used_at)}</span> : <span className="muted">Never</span>}</td>
                    <td>
                      {k.expires_at === null ? (
                        <span className="muted">Never</span>
                      ) : expired ? (
                        <Badge tone="danger" title={formatDateTime(k.expires_at)}>
                          Expired
                        </Badge>
                      ) : (
                        <span title={formatDateTime(k.expires_at)}>{formatDateTime(k.expires_at)}</span>
                      )}
                    </td>
                    <td className="actions">
                      {!expired && (
                        <Button size="small" aria-label={`Rotate API key ${keyLabel(k)}`} onClick={() => setRotating(k)}>
                          Rotate
                        </Button>
                      )}
                      <Button size="small" variant="danger" aria-label={`Revoke API key ${keyLabel(k)}`} onClick={() => setRevoking(k)}>
                        Revoke
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <CreateApiKeyDialog open={createOpen} onClose={() => onCreateOpenChange(false)} datasourceId={datasourceId} datasourceName={datasourceName} />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke API key “${revoking ? keyLabel(revoking) : ''}”?`}
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>Clients using this key are refused at once, on every server. This cannot be undone; to replace a key without a gap, rotate it instead.</p>
        {revoke.isError && <ErrorCallout title="Could not revoke the key" error={revoke.error} />}
      </ConfirmDialog>
      <RotateDialog datasourceId={datasourceId} apiKey={rotating} onClose={() => setRotating(null)} onRotated={invalidate} />
    </>
  );
}

function RotateDialog({ datasourceId, apiKey, onClose, onRotated }: { datasourceId: string; apiKey: ApiKey | null; onClose: () => void; onRotated: () => Promise<unknown> }) {
  const [overlap, setOverlap] = useState('3600');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const rotate = useMutation({
    mutationFn: (k: ApiKey) => api.post<CreatedApiKey>(`${datasourcePaths.apiKey(datasourceId, k.id)}/rotate`, { overlap_seconds: Number(overlap) }),
    onSuccess: async (key) => {
      setCreated(key);
      await onRotated();
    },
  });
  function close() {
    setCreated(null);
    setOverlap('3600');
    rotate.reset();
    onClose();
  }
  return (
    <Dialog
      open={apiKey !== null}
      title={created ? 'New key created' : `Rotate API key “${apiKey ? keyLabel(apiKey) : ''}”`}
      onClose={close}
      wide={created !== null}
      footer={
        created ? (
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button variant="primary" busy={rotate.isPending} onClick={() => apiKey && rotate.mutate(apiKey)}>
              Rotate key
            </Button>
          </>
        )
      }
    >
      {created ? (
        <NewKeyPanel created={created} baseUrl={window.location.origin} />
      ) : (
        <>
          <p>A new key with the same name, scopes and limits replaces this one. Deploy the new key to your clients while the old one still works.</p>
          <SelectField label="Old key" value={overlap} options={OVERLAPS} onChange={(e) => setOverlap(e.target.value)} />
          {rotate.isError && <ErrorCallout title="Could not rotate the key" error={rotate.error} />}
        </>
      )}
    </Dialog>
  );
}
