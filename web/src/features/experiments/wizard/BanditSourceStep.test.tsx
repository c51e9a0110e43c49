/**
 * The warehouse bandit's datasource step on the wizard page, in jsdom: a participant type proposed and what
 * it fills in, the table way beside it, a warehouse without types, and an older saved design on its table.
 * The admin API is stood in for by a fetch that answers the demo warehouse's reads (its type, its table) and
 * refuses the creation like the server does; test/ui/bandit-wizard.test.ts runs the real server.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParticipantType, TableInspection } from '../api-types.ts';
import { saveWizard } from './persistence.ts';
import type { WizardState } from './state.ts';
import { apply, banditDesign, DEMO_TABLE, DEMO_TYPE } from './test-fixtures.ts';
import { descriptionOf, renderWizardPage, TEST_ORG as ORG } from './test-harness.tsx';

/** The demo table with a number column its participant type does not mark as a metric. */
const TABLE: TableInspection = { ...DEMO_TABLE, fields: [...DEMO_TABLE.fields, { field_name: 'age', data_type: 'integer', description: '' }] };

let types: ParticipantType[] = [];
const posted: unknown[] = [];

function answer(url: string, init?: RequestInit): Response {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  if (init?.method === 'POST') {
    posted.push(JSON.parse(String(init.body)));
    return json({ detail: [{ loc: ['body', 'design_spec', 'target_field_name'], msg: "column 'weekly_minutes' was dropped from the table", type: 'value_error' }] }, 422);
  }
  if (url.startsWith('/v1/m/organizations?')) return json({ items: [ORG], next_page_token: '' });
  if (url.endsWith('/datasources'))
    return json({
      items: [
        { id: 'ds_api', name: 'API only', driver: 'none' },
        { id: 'ds_demo', name: 'Demo warehouse', driver: 'duckdb' },
      ],
    });
  if (url === '/v1/m/datasources/ds_demo/participants') return json({ items: types });
  if (url === '/v1/m/datasources/ds_demo/inspect') return json({ tables: ['participants'] });
  if (url === '/v1/m/datasources/ds_demo/inspect/participants') return json(TABLE);
  return json({ items: [] });
}

beforeEach(() => {
  types = [DEMO_TYPE];
  posted.length = 0;
  localStorage.clear();
  localStorage.setItem('equipoise.org', ORG.id);
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => answer(String(input), init));
});
afterEach(() => vi.unstubAllGlobals());

/** A new warehouse bandit opened on its datasource step, as the Type step leaves it. */
function openSourceStep(start: WizardState = apply([{ type: 'basics', patch: { name: 'Study time nudge' } }, { type: 'kind', kind: 'mab_online_dwh' }])) {
  saveWizard(localStorage, ORG.id, { phase: 'editing', state: apply([{ type: 'go', step: 'participants' }], start) });
  return renderWizardPage();
}

const optionsOf = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => o.textContent);
const valueOf = (name: RegExp) => (screen.getByRole('combobox', { name }) as HTMLSelectElement).value;

describe('the warehouse bandit’s datasource step', () => {
  it('proposes the participant type, takes the table and id from it, and offers the fields it marks as metrics', async () => {
    const { user } = openSourceStep();
    await screen.findByRole('heading', { name: '3. Datasource' });
    const type = await screen.findByRole('combobox', { name: /Participant type/ });
    await vi.waitFor(() => expect((type as HTMLSelectElement).value).toBe('Demo participants'));
    expect((screen.getByRole('radio', { name: /A participant type/ }) as HTMLInputElement).checked).toBe(true);
    expect(descriptionOf(type)).toBe('Table participants, identified by participant_id.');

    const outcome = await screen.findByRole('combobox', { name: /Outcome column/ });
    expect(optionsOf(outcome)).toEqual(['Choose a column…', 'completed_course (boolean)', 'weekly_minutes (number)']);
    expect(descriptionOf(outcome)).toBe('The fields Demo participants marks as metrics. Its type decides the type of outcome.');
    await user.selectOptions(outcome, 'weekly_minutes');
    expect(descriptionOf(outcome)).toBe('Outcome. A number column: each outcome is a number, and higher is better.');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: '4. Outcomes' });
    expect((screen.getByRole('radio', { name: 'A number' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: '5. Arms and priors' });
    await user.click(screen.getByRole('button', { name: 'Create experiment' }));

    // The server still gets a table, an id and a column; its complaint lands next to the outcome column.
    const refused = await screen.findByRole('combobox', { name: /Outcome column/ });
    await vi.waitFor(() => expect(refused.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(refused)).toContain("column 'weekly_minutes' was dropped from the table");
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ design_spec: { experiment_type: 'mab_online_dwh', table_name: 'participants', primary_key: 'participant_id', target_field_name: 'weekly_minutes', reward_type: 'real-valued', prior_type: 'normal' } });
  });

  it('switches to the table way, keeping the type’s table and id, with every yes/no or number column', async () => {
    const { user } = openSourceStep();
    await vi.waitFor(() => expect(valueOf(/Participant type/)).toBe('Demo participants'));
    await user.click(screen.getByRole('radio', { name: /A table and its unique id column/ }));
    expect(valueOf(/^Table/)).toBe('participants');
    expect(valueOf(/Unique id column/)).toBe('participant_id');
    expect(optionsOf(screen.getByRole('combobox', { name: /Outcome column/ }))).toEqual(['Choose a column…', 'completed_course (boolean)', 'weekly_minutes (number)', 'age (integer)']);
    expect(screen.queryByRole('combobox', { name: /Participant type/ })).toBeNull();
  });

  it('goes straight to the tables of a warehouse without participant types', async () => {
    types = [];
    openSourceStep();
    await vi.waitFor(() => expect(valueOf(/^Table/)).toBe('participants'));
    await vi.waitFor(() => expect(valueOf(/Unique id column/)).toBe('participant_id'));
    expect(screen.queryByRole('radio', { name: /A participant type/ })).toBeNull();
    expect(screen.queryByText('This datasource has no participant types')).toBeNull();
  });

  it('keeps a design saved on a table before participant types were offered', async () => {
    openSourceStep(banditDesign('mab_online_dwh'));
    const outcome = await screen.findByRole('combobox', { name: /Outcome column/ });
    expect((outcome as HTMLSelectElement).value).toBe('completed_course');
    expect((screen.getByRole('radio', { name: /A table and its unique id column/ }) as HTMLInputElement).checked).toBe(true);
    expect(valueOf(/^Table/)).toBe('participants');
    expect(screen.queryByRole('combobox', { name: /Participant type/ })).toBeNull();
  });
});
