import { describe, expect, it } from 'vitest';
import { describeAction, describeActor, describeTarget, verificationWords } from './audit-words.ts';

describe('audit log words', () => {
  it('names known actions and shows unknown ones by their code', () => {
    expect(describeAction('member.added')).toBe('Added a member');
    expect(describeAction('experiment.committed')).toBe('Committed an experiment');
    expect(describeAction('something.new')).toBe('something.new');
  });

  it('names the actor: a user by email (and marks you), a deleted user by id, keys and system work by kind', () => {
    expect(describeActor({ actor_type: 'user', actor_id: 'u_1', actor_email: 'ana@example.org' })).toBe('ana@example.org');
    expect(describeActor({ actor_type: 'user', actor_id: 'u_1', actor_email: 'ana@example.org' }, 'u_1')).toBe('ana@example.org (you)');
    expect(describeActor({ actor_type: 'user', actor_id: 'u_gone', actor_email: null })).toBe('Deleted user (u_gone)');
    expect(describeActor({ actor_type: 'api_key', actor_id: 'k_1', actor_email: null })).toBe('API key k_1');
    expect(describeActor({ actor_type: 'system', actor_id: 'sweeper', actor_email: null })).toBe('Equipoise (sweeper)');
  });

  it('describes the target with a name taken from the details when one was recorded', () => {
    expect(describeTarget({ target_type: 'user', target_id: 'u_2', details: { email: 'bo@example.org' } })).toEqual({ kind: 'User', name: 'bo@example.org', id: 'u_2' });
    expect(describeTarget({ target_type: 'webhook', target_id: 'wh_1', details: { name: 'backend', url: 'https://x' } })).toEqual({ kind: 'Webhook', name: 'backend', id: 'wh_1' });
    expect(describeTarget({ target_type: 'api_key', target_id: 'k_1', details: { datasource_id: 'ds_1' } })).toEqual({ kind: 'API key', name: undefined, id: 'k_1' });
    expect(describeTarget({ target_type: 'widget', target_id: 'w_1', details: { name: '  ' } })).toEqual({ kind: 'widget', name: undefined, id: 'w_1' });
  });

  it('explains an intact chain, including its one blind spot', () => {
    const w = verificationWords({ valid: true, entries: 1234, first_invalid_id: null });
    expect(w.tone).toBe('success');
    expect(w.title).toBe('The log is intact');
    expect(w.body[0]).toContain('all 1,234 entries');
    expect(w.body[1]).toMatch(/removing the most recent entries leaves no trace/);
    expect(verificationWords({ valid: true, entries: 1, first_invalid_id: null }).body[0]).toContain('the only entry');
  });

  it('says where a broken chain breaks, what is still trustworthy and what to do', () => {
    const w = verificationWords({ valid: false, entries: 3, first_invalid_id: 'aud_x' });
    expect(w.tone).toBe('danger');
    expect(w.title).toBe('The log has been tampered with');
    expect(w.body[0]).toMatch(/^The 3 oldest entries are intact; the chain breaks at entry aud_x/);
    expect(w.body[1]).toMatch(/direct database access/);
    expect(verificationWords({ valid: false, entries: 0, first_invalid_id: 'aud_a' }).body[0]).toMatch(/^Not even the oldest entry matches/);
    expect(verificationWords({ valid: false, entries: 1, first_invalid_id: 'aud_b' }).body[0]).toMatch(/^The oldest entry is intact/);
  });

  it('has something to say about an empty log', () => {
    expect(verificationWords({ valid: true, entries: 0, first_invalid_id: null })).toMatchObject({ tone: 'info', title: 'Nothing to verify yet' });
  });
});
