/**
 * The admin UI's results download (`GET /v1/m/datasources/{ds}/experiments/{exp}/results`) over HTTP, on a
 * preassigned experiment of the demo warehouse: live JSON equal to the analyze route (with its options),
 * CSV byte-equal to the public export, a snapshot (by id and `latest`) served as stored with its id in the
 * file name, the OpenAPI entry, and the 4xx paths (bad format, live options with a snapshot, no snapshot,
 * wrong datasource, no session, another organization). On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.ts';
import { createOrganization, issueAccessToken } from '../../src/services/bootstrap.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const DESIGN = {
  experiment_type: 'freq_preassigned',
  experiment_name: 'results download',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2099-01-01T00:00:00Z',
  arms: [{ arm_name: 'control' }, { arm_name: 'reminder' }, { arm_name: 'call' }],
  table_name: 'participants',
  primary_key: 'participant_id',
  strata: [{ field_name: 'channel' }],
  covariates: [{ field_name: 'age' }],
  metrics: [{ field_name: 'weekly_minutes' }, { field_name: 'completed_course', metric_pct_change: 0.1 }],
  desired_n: 600,
};

interface Analysis {
  type: string;
  created_at: string;
  baseline_arm_id: string;
  adjustment: { source: string };
  metric_analyses: { metric_name: string; arm_analyses: { arm_id: string; estimate: number | null; is_baseline: boolean; adjusted: unknown }[] }[];
}
interface Detail {
  detail: { loc: (string | number)[]; msg: string }[] | string;
}

const withoutTime = ({ created_at: _, ...rest }: Analysis) => rest;

describeEachDatabase('results download for the admin UI', (kind) => {
  let server: TestServer;
  let ds: string;
  let exp: string;
  let arms: string[];
  let apiKey: string;
  const base = () => `/v1/m/datasources/${ds}/experiments/${exp}`;
  const json = async <T>(res: Response): Promise<T> => {
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    ds = server.demoDatasourceId;
    const created = await json<{ experiment_id: string; design_spec: { arms: { arm_id: string }[] } }>(
      await server.admin(`/v1/m/datasources/${ds}/experiments?random_state=7`, { method: 'POST', body: JSON.stringify({ design_spec: DESIGN }) }),
    );
    exp = created.experiment_id;
    arms = created.design_spec.arms.map((a) => a.arm_id);
    expect((await server.admin(`${base()}/commit`, { method: 'POST' })).status).toBe(204);
    apiKey = (await json<{ key: string }>(await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: '{}' }))).key;
  }, 60_000);
  afterAll(async () => server?.close());

  it('serves the live analysis as JSON, equal to analyze with the same options, named for the experiment', async () => {
    const res = await server.admin(`${base()}/results`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="experiment_${exp}_results.json"`);
    const downloaded = await json<Analysis>(res);
    const analyzed = await json<Analysis>(await server.admin(`${base()}/analyze`));
    expect(withoutTime(downloaded)).toEqual(withoutTime(analyzed));
    expect(downloaded.metric_analyses.map((m) => m.metric_name)).toEqual(['weekly_minutes', 'completed_course']);
    expect(downloaded.metric_analyses[0]!.arm_analyses.every((a) => a.adjusted !== null)).toBe(true);

    // The live options reach the analysis: another baseline, no adjustment.
    const options = `baseline_arm_id=${arms[2]}&adjust=none&inference=z`;
    const custom = await json<Analysis>(await server.admin(`${base()}/results?format=json&${options}`));
    expect(custom.baseline_arm_id).toBe(arms[2]);
    expect(custom.adjustment.source).toBe('none');
    expect(custom.metric_analyses[0]!.arm_analyses.map((a) => a.is_baseline)).toEqual([false, false, true]);
    expect(withoutTime(custom)).toEqual(withoutTime(await json<Analysis>(await server.admin(`${base()}/analyze?${options}`))));
  });

  it('serves the CSV of the public export, byte for byte', async () => {
    const res = await server.admin(`${base()}/results?format=csv&inference=z`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="experiment_${exp}_results.csv"`);
    const text = await res.text();
    const pub = await fetch(`${server.baseUrl}/v1/experiments/${exp}/results/csv?inference=z`, { headers: { 'X-API-Key': apiKey } });
    expect(pub.status).toBe(200);
    expect(text).toBe(await pub.text());
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['metric_name', 'arm_id', 'arm_name', 'is_baseline']);
    expect(lines).toHaveLength(2 * 3);
    expect(lines.map((l) => l.split(',')[1])).toEqual([...arms, ...arms]);
  });

  it('serves a snapshot as it was stored, by id and as latest, with its id in the file name', async () => {
    const missing = await server.admin(`${base()}/results?snapshot_id=latest`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Detail).detail).toBe('This experiment has no successful snapshot yet.');

    const snapshots = `/v1/m/organizations/${server.organizationId}/datasources/${ds}/experiments/${exp}/snapshots`;
    const { id } = await json<{ id: string }>(await server.admin(snapshots, { method: 'POST' }));
    let stored: { status: string; data: Analysis | null } = { status: 'running', data: null };
    await expect
      .poll(
        async () => {
          stored = (await json<{ snapshot: typeof stored }>(await server.admin(`${snapshots}/${id}`))).snapshot;
          return stored.status;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe('success');

    for (const which of ['latest', id]) {
      const res = await server.admin(`${base()}/results?snapshot_id=${which}`);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="experiment_${exp}_results_${id}.json"`);
      expect(await json<Analysis>(res)).toEqual(stored.data);
    }
    const csv = await server.admin(`${base()}/results?format=csv&snapshot_id=${id}`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="experiment_${exp}_results_${id}.csv"`);
    const pub = await fetch(`${server.baseUrl}/v1/experiments/${exp}/results/csv?snapshot_id=${id}`, { headers: { 'X-API-Key': apiKey } });
    expect(await csv.text()).toBe(await pub.text());
  });

  it('is in the OpenAPI document with both media types', async () => {
    const doc = await json<{ paths: Record<string, { get?: { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> } }> }>(
      await fetch(`${server.baseUrl}/openapi.json`),
    );
    const op = doc.paths['/v1/m/datasources/{datasource_id}/experiments/{experiment_id}/results']?.get;
    expect(op?.operationId).toBe('download_experiment_results');
    expect(Object.keys(op!.responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['401', '404', '422']));
  });

  it('answers bad requests with a 4xx naming the problem', async () => {
    const format = await server.admin(`${base()}/results?format=xml`);
    expect(format.status).toBe(422);
    expect(((await format.json()) as Detail).detail).toMatchObject([{ loc: ['query', 'format'] }]);

    const mixed = await server.admin(`${base()}/results?snapshot_id=latest&adjust=none`);
    expect(mixed.status).toBe(422);
    expect(((await mixed.json()) as Detail).detail).toMatchObject([{ loc: ['query', 'snapshot_id'], msg: expect.stringMatching(/apply to live analyses/) }]);

    const baseline = await server.admin(`${base()}/results?baseline_arm_id=arm_nope`);
    expect(baseline.status).toBe(422);
    expect(((await baseline.json()) as Detail).detail).toMatchObject([{ loc: ['query', 'baseline_arm_id'] }]);

    const unknownSnapshot = await server.admin(`${base()}/results?snapshot_id=sn_0000000000000000`);
    expect(unknownSnapshot.status).toBe(404);

    // The experiment is not under the other datasource; no session; a member of another organization.
    expect((await server.admin(`/v1/m/datasources/${server.apiOnlyDatasourceId}/experiments/${exp}/results`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}${base()}/results`)).status).toBe(401);
    const outsider = newId('user');
    await server.database.db.insertInto('users').values({ id: outsider, email: `outsider-${outsider}@example.org` }).execute();
    await server.database.db.transaction().execute((trx) => createOrganization(trx, 'Elsewhere', outsider));
    const token = await issueAccessToken(server.database.db, outsider, null);
    const foreign = await fetch(`${server.baseUrl}${base()}/results?format=csv`, { headers: { Authorization: `Bearer ${token}` } });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('metric_name');
  });
});
