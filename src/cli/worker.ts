/** `equipoise worker`: the task worker alone; any number may run against one PostgreSQL. */
import type { Config } from '../config.ts';
import { onShutdown, openRuntime } from './runtime.ts';
import { startWorker } from './start-worker.ts';

export async function workerCommand(config: Config): Promise<void> {
  if (!config.databaseUrl) {
    throw new Error('worker needs DATABASE_URL: the embedded database belongs to the one `serve` process, which runs its own worker.');
  }
  const runtime = await openRuntime(config);
  const worker = startWorker(runtime, config);
  console.log('Equipoise worker started.');
  onShutdown(async () => {
    await worker.stop();
    await runtime.database.close();
  });
}
