/**
 * Component-test harness for the webhook and event screens: the real providers (query client, toasts, the
 * organization, a memory router) around the component, and a stand-in server behind `fetch` that records
 * every request (jsdom has no network). The organization list and the event catalogue are always answered.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { OrganizationProvider } from '../../org/organization.tsx';
import { ToastProvider } from '../../ui/Toast.tsx';

export const ORG = 'o_test';

export const EVENT_TYPES = [
  {
    type: 'experiment.created',
    description: 'An experiment was committed.',
    schema: { type: 'object', properties: { type: { type: 'string', const: 'experiment.created' }, organization_id: { type: 'string' } } },
  },
  {
    type: 'webhook.test',
    description: 'Sent on request to check an endpoint.',
    schema: { type: 'object', properties: { type: { type: 'string', const: 'webhook.test' }, data: { type: 'object', properties: { webhook_id: { type: 'string' } } } } },
  },
];

export interface Sent {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

export type Answer = (req: Sent) => Response | undefined;

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Renders `element` at `path` (a route with params when `route` is given) with `answer` standing in for the server. */
export function renderScreen(element: ReactNode, answer: Answer, { path = '/', route = '/' }: { path?: string; route?: string } = {}) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const req = { method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined };
      if (req.url.startsWith('/v1/m/organizations?')) return json({ items: [{ id: ORG, name: 'Test org', created_at: '2026-01-01T00:00:00Z', user_count: 1, experiment_count: 0 }], next_page_token: '' });
      if (req.url === '/v1/m/webhook-event-types') return json({ items: EVENT_TYPES });
      sent.push(req);
      return answer(req) ?? json({ detail: `no answer for ${req.method} ${req.url}` }, 500);
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([{ path: route, element }, { path: '*', element: <p>elsewhere</p> }], { initialEntries: [path] });
  const view = render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <OrganizationProvider>
          <RouterProvider router={router} />
        </OrganizationProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), sent, router, ...view };
}
