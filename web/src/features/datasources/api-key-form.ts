/**
 * The create-API-key form as data: scope explanations, and the request body (or per-field problems) a
 * filled-in form stands for.
 */
import type { ApiKeyScope } from './api.ts';

export const SCOPE_HELP: Readonly<Record<ApiKeyScope, string>> = {
  read: 'Read experiment settings and export assignments (CSV and JSON).',
  assign: "Get participants' assignments (creating them in online experiments) and report outcomes.",
};

export interface KeyForm {
  name: string;
  read: boolean;
  assign: boolean;
  expires: 'never' | 'date';
  expiryDate: string;
  rateLimit: string;
}

export const BLANK_KEY_FORM: KeyForm = { name: '', read: true, assign: true, expires: 'never', expiryDate: '', rateLimit: '' };

/** `YYYY-MM-DD` of a local date, for `<input type="date">` bounds. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The request body, or what is wrong per field. An expiry date means the end of that day in the user's
 * time zone, so "expires on the 30th" still works all of the 30th.
 */
export function keyRequest(form: KeyForm, now = new Date()): { body: Record<string, unknown> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const scopes: ApiKeyScope[] = [...(form.read ? (['read'] as const) : []), ...(form.assign ? (['assign'] as const) : [])];
  if (scopes.length === 0) errors['scopes'] = 'Choose at least one scope.';
  let expiresAt: string | undefined;
  if (form.expires === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(form.expiryDate);
    if (!m) errors['expires_at'] = 'Choose the last day the key works.';
    else {
      const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
      if (end.getTime() <= now.getTime()) errors['expires_at'] = 'The date must be today or later.';
      else expiresAt = end.toISOString();
    }
  }
  let rate: number | undefined;
  if (form.rateLimit.trim() !== '') {
    const n = Number(form.rateLimit.trim());
    if (!Number.isInteger(n) || n < 1 || n > 100_000) errors['rate_limit_per_second'] = 'A whole number from 1 to 100,000, or blank for the server default.';
    else rate = n;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      scopes,
      ...(expiresAt ? { expires_at: expiresAt } : {}),
      ...(rate !== undefined ? { rate_limit_per_second: rate } : {}),
    },
  };
}
