/**
 * The answer of a connection test in words: what was found, or what failed and what to do about it. Used
 * by the add/edit dialog and by the connection status of the datasource page.
 */
import type { ReactNode } from 'react';
import { Callout } from '../../ui/Callout.tsx';
import { formatInteger } from '../../ui/format.ts';
import type { ConnectionProblemCode, ConnectionTest } from './api.ts';

export const PROBLEM_TITLES: Readonly<Record<ConnectionProblemCode, string>> = {
  dns: 'The host name does not resolve',
  blocked_address: 'This address is not allowed',
  refused: 'The connection was refused',
  unreachable: 'The warehouse cannot be reached',
  auth: 'The credentials were refused',
  not_found: 'Not found',
  timeout: 'The warehouse did not answer in time',
  tls: 'The encrypted (TLS) connection failed',
  settings: 'A setting needs changing',
  failed: 'The warehouse reported an error',
};

/** "3 tables: a, b, c" with at most `shown` names. */
export function tableSummary(count: number, tables: readonly string[], shown = 5): string {
  if (count === 0) return 'no tables or views';
  const noun = count === 1 ? 'table or view' : 'tables and views';
  const names = tables.slice(0, shown).join(', ');
  const more = count > shown ? `, and ${formatInteger(count - shown)} more` : '';
  return `${formatInteger(count)} ${noun}: ${names}${more}`;
}

export function ConnectionResult({ result, actions }: { result: ConnectionTest; actions?: ReactNode }) {
  if (result.ok) {
    if (result.driver === 'none') {
      return (
        <Callout tone="info" role="status" title="Nothing to connect to">
          <p>This datasource has no warehouse.</p>
        </Callout>
      );
    }
    return (
      <Callout tone={result.table_count === 0 ? 'warning' : 'success'} role="status" title={result.table_count === 0 ? 'Connected, but no tables found' : 'Connection works'}>
        <p>
          Found {tableSummary(result.table_count, result.tables)} ({formatInteger(result.elapsed_ms)} ms).
        </p>
        {result.table_count === 0 && <p>Expecting tables? Check the database name, the search path (schemas) or the dataset, and that the user may read them.</p>}
        {actions}
      </Callout>
    );
  }
  return (
    <Callout tone="danger" role="alert" title={`Connection failed: ${PROBLEM_TITLES[result.problem.code].toLowerCase()}`}>
      <p className="problem-message">{result.problem.message}</p>
      <p>
        <strong>What to do:</strong> {result.problem.hint}
      </p>
      {actions}
    </Callout>
  );
}
