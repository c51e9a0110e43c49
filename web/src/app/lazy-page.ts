/**
 * Route-level code splitting: a screen's module is fetched the first time someone opens it, so signing in
 * downloads the shell and the first screen only. React Router keeps the current screen up while the next one
 * loads, and a failed chunk (say, after a deploy replaced it) lands in the route's error page.
 *
 * @example { path: 'events', lazy: lazyPage(() => import('./EventsPage.tsx'), 'EventsPage') }
 */
import type { ComponentType } from 'react';

export function lazyPage<M extends Record<string, unknown>, K extends keyof M & string>(load: () => Promise<M>, name: K): () => Promise<{ Component: ComponentType }> {
  return async () => ({ Component: (await load())[name] as ComponentType });
}
