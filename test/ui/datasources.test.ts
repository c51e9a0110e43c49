/**
 * The Datasources area in Chromium against `equipoise serve`: the list with the "API only" datasource
 * explained; adding a PostgreSQL datasource (inline validation, a failing then a passing **Test
 * connection**, saving), once with the mouse and once with the keyboard alone; the datasource page with
 * its tables and columns; a participant type with annotations and the drift warning after the table
 * changes; editing with the saved password kept; deleting with a typed confirmation. The PostgreSQL
 * warehouse is a schema of its own in the test server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_URL } from '../support/databases.ts';
import { tabTo } from './keyboard.ts';
import { describeUi, SCREENSHOTS, useUi } from './support.ts';

const url = new URL(POSTGRES_URL);
const PG = { host: url.hostname, port: String(url.port || 5432), user: decodeURIComponent(url.username), dbname: url.pathname.slice(1) };

interface Summary {
  id: string;
  name: string;
  driver: string;
  api_key_count: number;
  participant_types: string[];
}

describeUi('datasources UI', () => {
  const ui = useUi();
  const schema = `eq_ui_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.learners (learner_id text PRIMARY KEY, region text, age integer, score double precision, completed boolean, notes jsonb)`);
    await admin.query(`COMMENT ON COLUMN ${schema}.learners.region IS 'Where the learner lives'`);
    await admin.query(`INSERT INTO ${schema}.learners SELECT 'l' || g, (ARRAY['north','south'])[1 + g % 2], 18 + g % 40, g * 0.5, g % 3 = 0, '{}' FROM generate_series(1, 200) g`);
    await admin.query(`CREATE TABLE ${schema}.sessions (session_id text, learner_id text)`);
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  });

  const organizationId = async () => (await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations')).items[0]!.id;
  const datasources = async () => (await ui.api<{ items: Summary[] }>('GET', `/v1/m/organizations/${await organizationId()}/datasources`)).items;
  const addViaApi = async (name: string, dsn: Record<string, unknown> = {}) =>
    (
      await ui.api<{ id: string }>('POST', '/v1/m/datasources', {
        organization_id: await organizationId(),
        name,
        dsn: { type: 'postgres', host: PG.host, port: Number(PG.port), user: PG.user, password: { type: 'revealed', value: '' }, dbname: PG.dbname, sslmode: 'disable', search_path: schema, ...dsn },
      })
    ).id;

  it('lists every datasource with its id, type and counts, and explains the API-only one', async () => {
    const { page } = ui;
    await page.goto(ui.url('/datasources'));
    await page.getByRole('heading', { level: 1, name: 'Datasources' }).waitFor();
    const table = page.getByRole('table', { name: /Datasources of/ });
    await table.getByRole('link', { name: 'Demo warehouse (DuckDB)', exact: true }).waitFor();
    await table.getByRole('link', { name: 'API only', exact: true }).waitFor();
    await expect.poll(() => table.getByText(/No warehouse: for online experiments/).count()).toBe(1);
    const demo = (await datasources()).find((d) => d.driver === 'duckdb')!;
    const demoRow = table.getByRole('row', { name: /Demo warehouse/ });
    expect(await demoRow.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['DuckDB', 'Demo participants']));
    await demoRow.getByRole('button', { name: 'Copy ID of Demo warehouse (DuckDB)' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(demo.id);
    await ui.screenshot('datasources');
    expect(ui.problems).toEqual([]);
  });

  it('adds a PostgreSQL datasource: inline validation, a failing and a passing connection test, then it is saved and opened', async () => {
    const { page } = ui;
    await page.goto(ui.url('/datasources'));
    await page.getByRole('button', { name: 'Add datasource' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add datasource' });
    await dialog.waitFor();
    // Nothing filled in: every missing field says so, next to it.
    await dialog.getByRole('button', { name: 'Save datasource' }).click();
    await dialog.getByText('Give the datasource a name.').waitFor();
    await dialog.getByText('Enter the host name.').waitFor();
    await dialog.getByText('Enter the database name.').waitFor();
    expect(await dialog.getByLabel('Host').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Name').fill('Learners warehouse');
    await dialog.getByLabel('Host').fill(PG.host);
    await dialog.getByLabel('Database').fill(PG.dbname);
    await dialog.getByLabel('User').fill(PG.user);
    await dialog.getByLabel('SSL mode').selectOption('disable');
    await dialog.getByLabel('Search path').fill(schema);
    // A closed port: the test explains it and marks the port field.
    await dialog.getByLabel('Port').fill('1');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('A port from 1024 to 65535.').waitFor();
    await dialog.getByLabel('Port').fill('1025');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection failed: the connection was refused').waitFor();
    await dialog.getByText(/PostgreSQL usually listens on 5432/).waitFor();
    expect(await dialog.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    // The right port: the tables are found, and nothing was saved by testing.
    await dialog.getByLabel('Port').fill(PG.port);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection works').waitFor();
    await dialog.getByText(/Found 2 tables and views: learners, sessions/).waitFor();
    expect((await datasources()).some((d) => d.name === 'Learners warehouse')).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'datasource-add.png') });

    await dialog.getByRole('button', { name: 'Save datasource' }).click();
    await page.getByRole('heading', { level: 1, name: 'Learners warehouse' }).waitFor();
    const saved = (await datasources()).find((d) => d.name === 'Learners warehouse')!;
    expect(page.url()).toBe(ui.url(`/datasources/${saved.id}`));
    await page.getByText('Equipoise can read this warehouse: 2 tables and views.').waitFor();
    const stored = await ui.api<{ dsn: Record<string, unknown> }>('GET', `/v1/m/datasources/${saved.id}`);
    expect(stored.dsn).toMatchObject({ type: 'postgres', host: PG.host, port: Number(PG.port), sslmode: 'disable', search_path: schema, password: { type: 'hidden' } });
    expect(ui.problems).toEqual([]);
  });

  it('shows tables with their columns, creates a participant type with annotations, and explains drift after the table changes', async () => {
    const { page } = ui;
    const id = await addViaApi('Typed warehouse');
    await page.goto(ui.url(`/datasources/${id}`));
    await page.getByRole('heading', { level: 1, name: 'Typed warehouse' }).waitFor();
    await page.locator('summary').getByText('learners', { exact: true }).click();
    const columns = page.getByRole('table', { name: 'Columns of learners' });
    await columns.waitFor();
    expect(await columns.getByRole('row', { name: /learner_id/ }).getByText('primary key').count()).toBe(1);
    expect(await columns.getByRole('row', { name: /region/ }).getByText('Where the learner lives').count()).toBe(1);
    await page.getByText('Not usable in experiments (unsupported types): notes (jsonb).').waitFor();

    await page.getByRole('link', { name: 'Create a participant type from learners' }).click();
    await page.getByRole('heading', { level: 1, name: 'New participant type' }).waitFor();
    await expect.poll(() => page.getByLabel('Table').inputValue()).toBe('learners');
    // The one-column primary key is offered as the unique id; the rest is up to the user.
    await expect.poll(() => page.getByRole('radio', { name: 'Unique id: learner_id' }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('checkbox', { name: 'Metric: region' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Save participant type' }).click();
    await page.getByText('Give the participant type a name, e.g. “Learners”.').waitFor();
    await page.getByLabel('Participant type name').fill('Learners');
    for (const name of ['Filter: region', 'Strata: region', 'Filter: age', 'Metric: score', 'Metric: completed']) await page.getByRole('checkbox', { name }).check();
    await page.getByRole('textbox', { name: 'Description of score' }).fill('Quiz score, 0 to 100');
    await page.getByRole('button', { name: 'Save participant type' }).click();
    await page.getByRole('heading', { level: 1, name: 'Learners' }).waitFor();
    const saved = await ui.api<{ current: { fields: { field_name: string; is_filter: boolean; is_metric: boolean; is_unique_id: boolean; description: string }[] } }>('GET', `/v1/m/datasources/${id}/participants/Learners`);
    expect(saved.current.fields.map((f) => f.field_name).sort()).toEqual(['age', 'completed', 'learner_id', 'region', 'score']);
    expect(saved.current.fields.find((f) => f.field_name === 'score')).toMatchObject({ is_metric: true, description: 'Quiz score, 0 to 100' });

    // The warehouse changes under the type: one column dropped, one retyped.
    await admin.query(`ALTER TABLE ${schema}.learners DROP COLUMN age`);
    await admin.query(`ALTER TABLE ${schema}.learners ALTER COLUMN completed TYPE text`);
    try {
      await page.reload();
      await page.getByText('The table changed since this participant type was saved').waitFor();
      await page.getByText('The column age is gone from learners.').waitFor();
      await page.getByText('The column completed changed type from boolean to string.').waitFor();
      await page.getByText('It can no longer be a metric.', { exact: false }).waitFor();
      await ui.screenshot('participant-type');
      // Saving takes the live table: the drift is gone.
      await page.getByRole('button', { name: 'Save participant type' }).click();
      await page.getByText('Participant type “Learners” saved').waitFor();
      await expect.poll(() => page.getByText('The table changed since this participant type was saved').count()).toBe(0);
    } finally {
      await admin.query(`ALTER TABLE ${schema}.learners ADD COLUMN age integer`);
      await admin.query(`ALTER TABLE ${schema}.learners ALTER COLUMN completed TYPE boolean USING completed::boolean`);
    }
    // The datasource page with everything in place, for the screenshot.
    await ui.api('POST', `/v1/m/datasources/${id}/apikeys`, { name: 'checkout service', scopes: ['assign'] });
    await page.getByRole('link', { name: 'Typed warehouse' }).click();
    await page.getByRole('heading', { level: 1, name: 'Typed warehouse' }).waitFor();
    await page.getByRole('link', { name: 'Learners' }).waitFor();
    await page.locator('summary').getByText('learners', { exact: true }).click();
    await page.getByRole('table', { name: 'Columns of learners' }).waitFor();
    await page.getByRole('row', { name: /checkout service/ }).waitFor();
    await expect.poll(() => page.locator('.toast').count(), { timeout: 8000 }).toBe(0);
    await ui.screenshot('datasource');
    expect(ui.problems).toEqual([]);
  });

  it('adds a datasource with the keyboard alone', async () => {
    const { page } = ui;
    await page.goto(ui.url('/datasources'));
    await page.getByRole('heading', { level: 1, name: 'Datasources' }).waitFor();
    await tabTo(page, 'Add datasource');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add datasource' });
    await dialog.waitFor();
    // The name field has focus; the warehouse type is a radio group driven by the arrow keys.
    await page.keyboard.type('Keyboard warehouse');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    expect(await dialog.getByRole('radio', { name: 'MariaDB / MySQL' }).isChecked()).toBe(true);
    await expect.poll(() => dialog.getByLabel('Port').inputValue()).toBe('3306');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => dialog.getByLabel('Port').inputValue()).toBe('5432');
    await tabTo(page, 'Host');
    await page.keyboard.type(PG.host);
    await tabTo(page, 'Port');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(PG.port);
    await tabTo(page, 'Database');
    await page.keyboard.type(PG.dbname);
    await tabTo(page, 'User');
    await page.keyboard.type(PG.user);
    await tabTo(page, 'SSL mode');
    await page.keyboard.type('d');
    expect(await dialog.getByLabel('SSL mode').inputValue()).toBe('disable');
    await tabTo(page, 'Search path');
    await page.keyboard.type(schema);
    await tabTo(page, 'Test connection');
    await page.keyboard.press('Enter');
    await dialog.getByText('Connection works').waitFor();
    await tabTo(page, 'Save datasource');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard warehouse' }).waitFor();
    await page.getByText('Equipoise can read this warehouse: 2 tables and views.').waitFor();
    // Escape closes a dialog and gives focus back to the button that opened it.
    await tabTo(page, 'Edit settings');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Edit datasource settings' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit settings');
    expect(ui.problems).toEqual([]);
  });

  it('explains a broken connection on the page, and fixes it: tested before saving, the saved password kept when left blank', async () => {
    const { page } = ui;
    const id = await addViaApi('Editable warehouse', { dbname: 'no_such_db_eq_ui' });
    await page.goto(ui.url(`/datasources/${id}`));
    const connection = page.getByRole('region', { name: 'Connection' });
    await connection.getByText('Connection failed: not found').waitFor();
    await connection.getByText(/no database by that name/).waitFor();
    await page.getByText('The tables appear here once the connection works (see above).').waitFor();
    await connection.getByRole('button', { name: 'Edit settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit datasource settings' });
    expect(await dialog.getByLabel('Host').inputValue()).toBe(PG.host);
    expect(await dialog.getByLabel('Password').inputValue()).toBe('');
    await dialog.getByText('Leave blank to keep the saved password.').waitFor();
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection failed: not found').waitFor();
    expect(await dialog.getByLabel('Database').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Database').fill(PG.dbname);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection works').waitFor();
    await dialog.getByLabel('Name').fill('Edited warehouse');
    await dialog.getByText('Limits').click();
    await dialog.getByLabel('Row cap').fill('100000');
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/v1/m/datasources/${id}`));
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const sent = (await patch).postDataJSON() as { name: string; dsn: Record<string, unknown> };
    expect(sent.name).toBe('Edited warehouse');
    expect(sent.dsn['password']).toEqual({ type: 'hidden' });
    await page.getByRole('heading', { level: 1, name: 'Edited warehouse' }).waitFor();
    await connection.getByText('Equipoise can read this warehouse: 2 tables and views.').waitFor();
    const read = await ui.api<{ dsn: Record<string, unknown> }>('GET', `/v1/m/datasources/${id}`);
    expect(read.dsn).toMatchObject({ dbname: PG.dbname, max_rows: 100000, search_path: schema });
    // Chromium logs the table list's 404 (the API's answer for a missing database) as a failed resource; nothing else may appear.
    expect(ui.problems.filter((p) => !p.includes('the server responded with a status of 404'))).toEqual([]);
  });

  it('deletes a datasource only after "delete" is typed, naming what goes with it', async () => {
    const { page } = ui;
    const id = await addViaApi('Doomed warehouse');
    await ui.api('POST', `/v1/m/datasources/${id}/apikeys`, { name: 'old client' });
    await page.goto(ui.url(`/datasources/${id}`));
    await page.getByRole('button', { name: 'Delete datasource' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete datasource “Doomed warehouse”?' });
    await dialog.getByText('0 experiments, with all their arms, assignments and outcomes;').waitFor();
    await dialog.getByText('1 API key: clients using them are refused at once;').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete datasource' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type delete to confirm').fill('delet');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type delete to confirm').fill('delete');
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: 'Datasources' }).waitFor();
    await page.getByText('Datasource “Doomed warehouse” deleted').waitFor();
    expect((await datasources()).some((d) => d.id === id)).toBe(false);
    expect(ui.problems).toEqual([]);
  });
});
