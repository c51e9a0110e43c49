/**
 * The `equipoise` program: `serve [--no-worker]`, `worker`, `migrate`. Reads the configuration once and
 * hands it to the subcommand; start-up failures print one clear message and exit non-zero.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { keysGenerateCommand, keysRotateCommand } from './cli/accounts.ts';
import { serveCommand } from './cli/serve.ts';
import { workerCommand } from './cli/worker.ts';
import { openDatabase } from './store/database.ts';
import { DataDirLockedError } from './store/data-dir-lock.ts';
import { migrateToLatest } from './store/migrate.ts';

const USAGE = `Usage: equipoise <command>

Commands:
  serve [--no-worker]   API and task worker (the default for npm start)
  worker                task worker only (needs DATABASE_URL)
  migrate               apply database migrations and exit
  keys rotate           re-encrypt warehouse credentials under the newest key and add a session signing key
  keys generate [ID]    print a new key for EQUIPOISE_SECRET_KEYS`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'no-worker': { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serveCommand(config, { worker: !values['no-worker'] });
    case 'worker':
      return workerCommand(config);
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const { applied } = await migrateToLatest(database.db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
      } finally {
        await database.close();
      }
      return;
    }
    case 'keys':
      if (positionals[1] === 'rotate') return keysRotateCommand(config);
      if (positionals[1] === 'generate') return keysGenerateCommand(positionals[2] ?? `k${Date.now()}`);
      throw new ConfigError(`Unknown keys subcommand '${positionals[1] ?? ''}'.\n\n${USAGE}`);
    default:
      throw new ConfigError(`Unknown command '${command}'.\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) console.error(err.message);
  else console.error(err instanceof Error ? `Equipoise failed to start: ${err.message}` : err);
  process.exit(1);
});
