import { describe, expect, it } from 'vitest';
import { emailProblem, organizationNameProblem, USER_EMAIL_MAX } from './validation.ts';

describe('settings form checks', () => {
  it('wants an organization name of 1 to 100 characters, ignoring surrounding spaces', () => {
    expect(organizationNameProblem('')).toBe('Enter a name for the organization.');
    expect(organizationNameProblem('   ')).toBe('Enter a name for the organization.');
    expect(organizationNameProblem(' Lab ')).toBeUndefined();
    expect(organizationNameProblem('x'.repeat(100))).toBeUndefined();
    expect(organizationNameProblem('x'.repeat(101))).toBe('Use at most 100 characters (this one has 101).');
  });

  it('accepts plausible email addresses and explains the rest', () => {
    expect(emailProblem('')).toBe('Enter an email address.');
    expect(emailProblem(' ana@example.org ')).toBeUndefined();
    expect(emailProblem('ana.b+tag@sub.example.org')).toBeUndefined();
    for (const bad of ['ana', 'ana@', '@example.org', 'ana@example', 'ana @example.org', 'a@b@c.org']) expect(emailProblem(bad), bad).toMatch(/does not look like an email address/);
  });

  it('applies the length limit of the form it checks', () => {
    const long = `${'a'.repeat(60)}@example.org`;
    expect(emailProblem(long)).toBeUndefined();
    expect(emailProblem(long, USER_EMAIL_MAX)).toBe(`Use at most ${USER_EMAIL_MAX} characters.`);
  });
});
