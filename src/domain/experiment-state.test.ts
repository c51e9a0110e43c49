import { describe, expect, it } from 'vitest';
import { ConflictError } from './errors.ts';
import { transition } from './experiment-state.ts';

describe('transition', () => {
  it('moves a draft to either terminal state', () => {
    expect(transition('assigned', 'commit')).toBe('committed');
    expect(transition('assigned', 'abandon')).toBe('abandoned');
  });
  it('treats a repeated transition as a no-op', () => {
    expect(transition('committed', 'commit')).toBeNull();
    expect(transition('abandoned', 'abandon')).toBeNull();
  });
  it('refuses to leave a terminal state', () => {
    expect(() => transition('abandoned', 'commit')).toThrow(new ConflictError('Invalid state: abandoned'));
    expect(() => transition('committed', 'abandon')).toThrow(new ConflictError('Invalid state: committed'));
  });
});
