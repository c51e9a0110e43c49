/** Builds the migrated PGlite template once per test run; see `databases.ts`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { TestProject } from 'vitest/node';
import { postgresAvailable } from './databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-template-'));
  const database = await openDatabase({ dataDir: root });
  await migrateToLatest(database.db);
  await database.close();
  project.provide('pgliteTemplate', path.join(root, 'pglite'));
  await postgresAvailable(); // fails the run early under REQUIRE_SERVICES=1
  return () => fs.rmSync(root, { recursive: true, force: true });
}
