/**
 * Opens the app database: PostgreSQL when a URL is given, otherwise PGlite persisted in a directory. Both
 * are reached through a node-postgres `Pool`, so every query, type parser and migration is shared.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface AppDatabase {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Subscribes to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent the embedded database in `dataDir` is used. */
  readonly databaseUrl?: string | undefined;
  /** Directory that holds `pglite/` and its lock file. */
  readonly dataDir?: string;
  /** PostgreSQL schema to use (tests isolate themselves this way). Created if missing. */
  readonly schema?: string;
  readonly poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<AppDatabase> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<AppDatabase> {
  const schema = options.schema;
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    } finally {
      await admin.end();
    }
  }
  const connectionOptions = { connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  const pool = new pg.Pool({ ...connectionOptions, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // A pool error on an idle client (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error(`app database: idle connection error: ${err.message}`));
  const listeners: pg.Client[] = [];
  return {
    db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
    kind: 'postgres',
    async listen(channel, onNotify) {
      const client = new pg.Client(connectionOptions);
      client.on('error', () => undefined); // the poll fallback covers a lost listener
      await client.connect();
      client.on('notification', (msg) => msg.channel === channel && onNotify());
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

async function openPglite(options: OpenDatabaseOptions): Promise<AppDatabase> {
  const dataDir = options.dataDir ?? './.data';
  const release = lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(path.join(dataDir, 'pglite'));
  } catch (err) {
    release();
    throw err;
  }
  // PGlite is one connection. A query issued on the pool while a transaction holds it would wait forever;
  // the timeout turns that programming error into a loud failure.
  const pool = new pg.Pool({ ...createPgConfig(pglite), connectionTimeoutMillis: 30_000 } as pg.PoolConfig);
  return {
    db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
    kind: 'pglite',
    async listen(channel, onNotify) {
      return pglite.listen(channel, () => onNotify());
    },
    async close() {
      await pool.end();
      await pglite.close();
      release();
    },
  };
}
