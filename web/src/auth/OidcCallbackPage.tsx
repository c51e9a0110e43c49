import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorCallout, Loading } from '../ui/Callout.tsx';
import { finishOidcLogin } from './oidc.ts';
import { useSession } from './session.tsx';

/** Where the identity provider sends the browser back (`/login/oidc`, the server's default redirect URI). */
export function OidcCallbackPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the code is single-use; StrictMode's second effect must not spend it again
    started.current = true;
    finishOidcLogin(window.location.search).then(
      (token) => {
        signIn(token);
        navigate('/', { replace: true });
      },
      (err: unknown) => setError(err),
    );
  }, [signIn, navigate]);
  if (!error) return <Loading label="Finishing sign-in…" />;
  return (
    <main className="centered-card">
      <ErrorCallout title="Sign-in did not complete" error={error} />
      <Link to="/login">Back to sign-in</Link>
    </main>
  );
}
