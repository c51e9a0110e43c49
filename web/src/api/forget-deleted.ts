/**
 * What the cache holds about something just deleted, dropped without asking for it again. `removeQueries`
 * alone made a still-mounted screen fetch the deleted thing at once (a 404 in the console): even after
 * `await navigate(…)` React may not have drawn the next screen yet, since the router renders in a
 * transition. So queries nobody watches are removed, and the watched ones are only marked out of date; they
 * go when their screen does (garbage collection), and a screen that comes back asks again and says "not
 * found".
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';

export async function forgetDeleted(client: QueryClient, keys: readonly QueryKey[]): Promise<void> {
  for (const queryKey of keys) {
    client.removeQueries({ queryKey, type: 'inactive' });
    await client.invalidateQueries({ queryKey, refetchType: 'none' });
  }
}
