/**
 * Checks made before a form is sent, with the server's limits (`src/http/admin/organizations.ts`,
 * `users.ts`), so the common mistakes are explained at once and next to the field. The server still has the
 * last word; its 422 messages show in the same place.
 */

export const ORGANIZATION_NAME_MAX = 100;
/** Invites and members take up to 255 characters; instance user records (`POST /users`) only 64. */
export const INVITE_EMAIL_MAX = 255;
export const USER_EMAIL_MAX = 64;

export function organizationNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a name for the organization.';
  if (trimmed.length > ORGANIZATION_NAME_MAX) return `Use at most ${ORGANIZATION_NAME_MAX} characters (this one has ${trimmed.length}).`;
  return undefined;
}

/**
 * Deliberately loose (one @, something on each side, a dot in the domain, no spaces): the server validates
 * properly, and a strict pattern here would only turn away real addresses.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string, max = INVITE_EMAIL_MAX): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return 'Enter an email address.';
  if (!EMAIL.test(trimmed)) return 'This does not look like an email address (for example ana@example.org).';
  if (trimmed.length > max) return `Use at most ${max} characters.`;
  return undefined;
}
