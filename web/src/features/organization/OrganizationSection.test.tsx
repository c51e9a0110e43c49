/**
 * Renaming the organization in place: Escape gives up and returns focus to Rename, a blank name is refused
 * before anything is sent, the server's 422 shows next to the field, and a good name is sent trimmed.
 * The server is stood in for by a fetch that records requests (jsdom has no network).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrganizationSummary } from '../../api/types.ts';
import { ToastProvider } from '../../ui/Toast.tsx';
import { OrganizationSection } from './OrganizationSection.tsx';

const org: OrganizationSummary = { id: 'o_abc', name: 'Demo organization', created_at: '2026-01-05T10:00:00Z', user_count: 2, experiment_count: 1 };

function setup(answer: (body: unknown) => Response) {
  const sent: Array<{ method: string; url: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      sent.push({ method: init.method ?? 'GET', url, body });
      return answer(body);
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <OrganizationSection organization={org} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), sent };
}

afterEach(() => vi.unstubAllGlobals());

describe('OrganizationSection', () => {
  it('Escape cancels the rename and puts focus back on Rename', async () => {
    const { user, sent } = setup(() => new Response(null, { status: 204 }));
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByRole('textbox', { name: 'Organization name' });
    expect(document.activeElement).toBe(field);
    await user.clear(field);
    await user.keyboard('Something else{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Organization name' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename' }));
    expect(screen.getByText('Demo organization')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('refuses a blank name next to the field without sending anything', async () => {
    const { user, sent } = setup(() => new Response(null, { status: 204 }));
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByRole('textbox', { name: 'Organization name' });
    await user.clear(field);
    await user.keyboard('   {Enter}');
    expect(screen.getByText('Enter a name for the organization.', { selector: '.field-error' })).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('shows the server’s validation message next to the field and keeps the input', async () => {
    const { user, sent } = setup(
      () =>
        new Response(JSON.stringify({ detail: [{ loc: ['body', 'name'], msg: 'String should have at most 100 characters', type: 'string_too_long' }] }), {
          status: 422,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByRole('textbox', { name: 'Organization name' });
    await user.clear(field);
    await user.keyboard('  Renamed lab  {Enter}');
    expect(await screen.findByText('String should have at most 100 characters', { selector: '.field-error' })).toBeTruthy();
    expect((field as HTMLInputElement).value).toBe('  Renamed lab  ');
    expect(sent).toEqual([{ method: 'PATCH', url: '/v1/m/organizations/o_abc', body: { name: 'Renamed lab' } }]);
  });
});
