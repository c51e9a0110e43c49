/** The database health check: proves a round trip to the app database works. */
import { sql } from 'kysely';
import type { ServiceDeps } from './context.ts';

export async function checkDatabase(deps: Pick<ServiceDeps, 'db'>): Promise<{ status: 'ok'; db_time: string | null }> {
  const row = await sql<{ now: Date }>`SELECT now() AS now`.execute(deps.db);
  return { status: 'ok', db_time: row.rows[0]?.now.toISOString() ?? null };
}
