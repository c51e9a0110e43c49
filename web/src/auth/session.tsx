/**
 * Who is signed in. The token lives in localStorage (a login link printed by `npm start` opens a new tab,
 * which sessionStorage would not share); the identity is re-checked on load and every 5 minutes, and any
 * 401 from any call signs the user out with a note saying why.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, SESSION_ENDED, storedToken, storeToken } from '../api/client.ts';
import type { CallerIdentity } from '../api/types.ts';

interface Session {
  readonly token: string | null;
  readonly me: CallerIdentity | undefined;
  readonly checking: boolean;
  /** Why the last session ended, shown on the login screen. */
  readonly endedReason: string | null;
  signIn(token: string): void;
  signOut(reason?: string): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Takes a token handed over in the URL fragment (`/#token=…`, the printed login link) and cleans the URL. */
function tokenFromFragment(): string | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token');
  if (!token) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(() => {
    const handed = tokenFromFragment();
    if (handed) storeToken(handed);
    return storedToken();
  });
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const identity = useQuery({
    queryKey: ['caller-identity', token],
    queryFn: () => api.get<CallerIdentity>('/v1/m/caller-identity'),
    enabled: token !== null,
    refetchInterval: 5 * 60_000,
    retry: false,
  });

  const end = useCallback(
    (reason: string | null) => {
      storeToken(null);
      setToken(null);
      setEndedReason(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    const onEnded = () => end('Your session has ended. Sign in again to continue.');
    window.addEventListener(SESSION_ENDED, onEnded);
    return () => window.removeEventListener(SESSION_ENDED, onEnded);
  }, [end]);

  const value = useMemo<Session>(
    () => ({
      token,
      me: identity.data,
      checking: token !== null && identity.isPending,
      endedReason,
      signIn(next) {
        storeToken(next);
        setEndedReason(null);
        setToken(next);
      },
      async signOut(reason) {
        await api.post('/v1/m/logout').catch(() => undefined);
        end(reason ?? null);
      },
    }),
    [token, identity.data, identity.isPending, endedReason, end],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
