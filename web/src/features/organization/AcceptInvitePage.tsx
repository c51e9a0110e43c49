/**
 * `/invite#invite=…`: where an invite link lands. The secret travels in the fragment (never sent to a
 * server, kept out of logs) and is taken out of the address bar at once. Accepting makes the person a
 * member, optionally sets their first password for local sign-in, and signs them in.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, apiErrorFrom } from '../../api/errors.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../ui/Callout.tsx';
import { TextField } from '../../ui/Field.tsx';

/** The server's minimum (`MIN_PASSWORD_LENGTH`); checked here first so the message sits by the field. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Sent without the stored session: the link belongs to whoever opens it, and a 401 for a spent link must
 * not end the session of someone already signed in (the shared client signs out on any 401).
 */
async function redeem(token: string, password: string): Promise<{ session_token: string }> {
  const res = await fetch('/v1/a/invites/accept', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(password ? { token, password } : { token }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!res.ok) throw apiErrorFrom(res.status, body);
  return body as { session_token: string };
}

function inviteTokenFromFragment(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('invite');
}

export function AcceptInvitePage() {
  const [token] = useState(inviteTokenFromFragment);
  useEffect(() => {
    // Out of the address bar (and so out of history and bookmarks) once read; the page keeps it in state.
    if (token && window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  }, [token]);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const { token: session, me, signIn } = useSession();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => redeem(token ?? '', password),
    onSuccess: ({ session_token }) => {
      // The organization provider starts from the stored choice; the newly joined one is simply among them.
      signIn(session_token);
      navigate('/', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (password && password.length < MIN_PASSWORD_LENGTH) {
      setProblem(`Use at least ${MIN_PASSWORD_LENGTH} characters, or leave it empty.`);
      return;
    }
    setProblem(undefined);
    accept.mutate();
  }

  const invalidLink = accept.error instanceof ApiError && accept.error.status === 401;
  const serverField = accept.error instanceof ApiError ? accept.error.fieldMessage('password') : undefined;
  return (
    <main className="centered-card" aria-labelledby="invite-title">
      <div className="brand brand-large" aria-hidden="true">
        <span className="brand-mark" /> Equipoise
      </div>
      <h1 id="invite-title">Accept your invite</h1>
      {!token ? (
        <Callout tone="warning" title="This address holds no invite">
          <p>Open the link from your invite mail exactly as it arrived; it ends with “#invite=” and a long code. If it was cut off, ask for a new invite.</p>
        </Callout>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Accepting makes you a member of the organization that invited you and signs you in.</p>
          {session && me && (
            <Callout tone="info">
              You are signed in as {me.email}. Accepting signs you in as the invited address instead.
            </Callout>
          )}
          <TextField
            label="Choose a password (optional)"
            type="password"
            autoComplete="new-password"
            value={password}
            autoFocus
            error={problem ?? serverField}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters, for signing in with email and password later. Leave it empty if you sign in with your organization’s identity provider or already have a password.`}
            onChange={(e) => setPassword(e.target.value)}
          />
          {invalidLink && (
            <Callout tone="danger" title="This invite link no longer works">
              <p>It was already used, withdrawn, or is more than 7 days old. Ask the person who invited you for a new invite.</p>
            </Callout>
          )}
          {accept.isError && !invalidLink && !serverField && <ErrorCallout title="Could not accept the invite" error={accept.error} />}
          <Button type="submit" variant="primary" busy={accept.isPending} disabled={invalidLink}>
            Accept invite
          </Button>
        </form>
      )}
    </main>
  );
}
