/**
 * Sign-in: email and password (the embedded default's accounts), the identity provider when one is
 * configured, and a reminder that `npm start` prints a one-click login link.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { Button } from '../ui/Button.tsx';
import { Callout, ErrorCallout } from '../ui/Callout.tsx';
import { TextField } from '../ui/Field.tsx';
import { startOidcLogin, type OidcSettings } from './oidc.ts';
import { useSession } from './session.tsx';

export function LoginPage() {
  const { signIn, endedReason } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const oidc = useQuery({ queryKey: ['oidc-settings'], queryFn: () => api.get<OidcSettings>('/v1/a/oidc'), retry: false });
  const login = useMutation({
    mutationFn: () => api.post<{ session_token: string }>('/v1/a/login', { email: email.trim(), password }),
    onSuccess: ({ session_token }) => signIn(session_token),
  });
  const sso = useMutation({ mutationFn: (s: OidcSettings) => startOidcLogin(s) });

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate();
  }
  const wrongCredentials = login.error instanceof ApiError && (login.error.status === 401 || login.error.status === 403);
  return (
    <main className="centered-card" aria-labelledby="login-title">
      <div className="brand brand-large" aria-hidden="true">
        <span className="brand-mark" /> Equipoise
      </div>
      <h1 id="login-title">Sign in</h1>
      {endedReason && <Callout tone="warning">{endedReason}</Callout>}
      <form onSubmit={submit} noValidate={false}>
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {login.isError &&
          (wrongCredentials ? (
            <Callout tone="danger" title="Email or password is not right">
              Check both and try again. First start? Use the login link that <code>npm start</code> printed instead.
            </Callout>
          ) : (
            <ErrorCallout error={login.error} title="Could not sign in" />
          ))}
        <Button type="submit" variant="primary" busy={login.isPending} disabled={!email || !password}>
          Sign in
        </Button>
      </form>
      {oidc.data?.enabled && (
        <div className="login-alt">
          <Button onClick={() => oidc.data && sso.mutate(oidc.data)} busy={sso.isPending}>
            Sign in with {oidc.data.issuer ? new URL(oidc.data.issuer).host : 'your identity provider'}
          </Button>
          {sso.isError && <ErrorCallout error={sso.error} />}
        </div>
      )}
      <p className="muted small">
        Running Equipoise yourself? The server prints a <strong>Login URL</strong> when it starts; open it to sign in as the first administrator.
      </p>
    </main>
  );
}
