/**
 * Providers and routes. Each feature area exports its routes from `features/<area>/routes.tsx`, so screens
 * can grow without this file changing.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { ApiError } from '../api/errors.ts';
import { LoginPage } from '../auth/LoginPage.tsx';
import { OidcCallbackPage } from '../auth/OidcCallbackPage.tsx';
import { SessionProvider, useSession } from '../auth/session.tsx';
import { datasourceRoutes } from '../features/datasources/routes.tsx';
import { eventRoutes } from '../features/events/routes.tsx';
import { experimentRoutes } from '../features/experiments/routes.tsx';
import { inviteRoutes, organizationRoutes } from '../features/organization/routes.tsx';
import { adminRoutes } from '../features/admin/routes.tsx';
import { webhookRoutes } from '../features/webhooks/routes.tsx';
import { Shell } from '../layout/Shell.tsx';
import { OrganizationProvider } from '../org/organization.tsx';
import { Loading } from '../ui/Callout.tsx';
import { NotFoundPage, RouteErrorPage } from '../ui/RouteErrors.tsx';
import { ToastProvider } from '../ui/Toast.tsx';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Client errors will not fix themselves; retry only what might be transient.
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function RequireSession() {
  const { token, checking, me } = useSession();
  if (!token) return <LoginPage />;
  if (checking || !me) return <Loading label="Checking your sign-in…" />;
  return (
    <OrganizationProvider>
      <Outlet />
    </OrganizationProvider>
  );
}

const router = createBrowserRouter([
  { path: '/login/oidc', element: <OidcCallbackPage /> },
  { path: '/login', element: <LoginRedirect /> },
  ...inviteRoutes,
  {
    element: <RequireSession />,
    errorElement: <RouteErrorPage />,
    // Shown while the first screen's code loads on a fresh page.
    hydrateFallbackElement: <Loading label="Loading…" />,
    children: [
      {
        element: <Shell />,
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <Navigate to="/experiments" replace /> },
          ...experimentRoutes,
          ...datasourceRoutes,
          ...webhookRoutes,
          ...eventRoutes,
          ...organizationRoutes,
          ...adminRoutes,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

/** `/login` when already signed in goes home; otherwise it is the sign-in form. */
function LoginRedirect() {
  const { token } = useSession();
  return token ? <Navigate to="/" replace /> : <LoginPage />;
}

export function App({ queryClient = makeQueryClient() }: { queryClient?: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
