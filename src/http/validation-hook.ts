/** Every route's request-validation hook: zod problems become the reference's 422 body, via `errors.ts`. */
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { issuesFromZod, type RequestPart } from './errors.ts';

export function validationHook(result: { success: boolean; error?: unknown; target: string }, _c: Context): void {
  if (!result.success) throw new ValidationError(issuesFromZod(result.error as ZodError, result.target as RequestPart));
}
