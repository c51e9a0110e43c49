import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorCallout } from './Callout.tsx';
import { PageHeader } from './Page.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/">Go to your experiments</Link>.
      </p>
    </>
  );
}

/** A screen that crashed: say so, keep the navigation usable, and offer a reload. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <main className="content">
      <PageHeader title="This screen failed" />
      <ErrorCallout error={error} title="An unexpected error stopped this screen" onRetry={() => window.location.reload()} />
    </main>
  );
}
