/**
 * The audit log in words: what each recorded action means, who did it, what it was done to, and what the
 * chain verification says, for people who never heard of hash chains. Unknown actions fall back to their
 * code, so a newer server's entries still show.
 */
import type { AuditEntry, ChainVerification } from './api.ts';

const ACTIONS: Readonly<Record<string, string>> = {
  'organization.created': 'Created the organization',
  'organization.renamed': 'Renamed the organization',
  'member.added': 'Added a member',
  'member.removed': 'Removed a member',
  'member.left': 'Left the organization',
  'invite.created': 'Invited someone',
  'invite.revoked': 'Withdrew an invite',
  'api_key.created': 'Created an API key',
  'api_key.revoked': 'Revoked an API key',
  'api_key.rotated': 'Rotated an API key',
  'experiment.created': 'Created an experiment',
  'experiment.committed': 'Committed an experiment',
  'experiment.abandoned': 'Abandoned an experiment',
  'experiment.updated': 'Edited an experiment',
  'experiment.arm_updated': 'Edited an arm',
  'experiment.assignment_settings_changed': 'Changed how an experiment assigns',
  'experiment.assignments_stopped': 'Stopped assignments',
  'experiment.assignments_resumed': 'Resumed assignments',
  'experiment.data_deleted': 'Deleted experiment data',
  'experiment.deleted': 'Deleted an experiment',
  'webhook.created': 'Added a webhook',
  'webhook.updated': 'Edited a webhook',
  'webhook.deleted': 'Deleted a webhook',
  'webhook.enabled': 'Enabled a webhook',
  'webhook.disabled': 'Disabled a webhook',
  'webhook.token_revealed': 'Revealed a webhook token',
  'webhook.token_rotated': 'Rotated a webhook token',
  'webhook.secret_rotated': 'Rotated a webhook signing secret',
  'webhook.message_replayed': 'Resent a webhook message',
  'webhook.failed_replayed': 'Resent failed webhook deliveries',
};

/** A sentence-case phrase for the action, or the action code itself when we have no words for it. */
export function describeAction(action: string): string {
  return ACTIONS[action] ?? action;
}

/** Who acted, as a reader would name them. */
export function describeActor(entry: Pick<AuditEntry, 'actor_type' | 'actor_id' | 'actor_email'>, myUserId?: string): string {
  if (entry.actor_type === 'user') {
    const who = entry.actor_email ?? `Deleted user (${entry.actor_id})`;
    return entry.actor_id === myUserId ? `${who} (you)` : who;
  }
  if (entry.actor_type === 'api_key') return `API key ${entry.actor_id}`;
  if (entry.actor_type === 'system') return `Equipoise (${entry.actor_id})`;
  return `${entry.actor_type} ${entry.actor_id}`;
}

const TARGET_NOUNS: Readonly<Record<string, string>> = {
  user: 'User',
  invite: 'Invite',
  organization: 'Organization',
  api_key: 'API key',
  experiment: 'Experiment',
  webhook: 'Webhook',
  datasource: 'Datasource',
  arm: 'Arm',
};

/** A readable name from the details, when the entry recorded one (emails, names). */
function nameFromDetails(details: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['email', 'name', 'experiment_name', 'arm_name']) {
    const v = details[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return undefined;
}

/** What the action was done to: its kind, a name when the entry recorded one, and its id. */
export function describeTarget(entry: Pick<AuditEntry, 'target_type' | 'target_id' | 'details'>): { kind: string; name: string | undefined; id: string } {
  return { kind: TARGET_NOUNS[entry.target_type] ?? entry.target_type, name: nameFromDetails(entry.details), id: entry.target_id };
}

export interface VerificationWords {
  readonly tone: 'success' | 'danger' | 'info';
  readonly title: string;
  readonly body: readonly string[];
}

/** The chain verification result as a plain statement of what can and cannot be trusted. */
export function verificationWords(v: ChainVerification): VerificationWords {
  if (v.valid && v.entries === 0) {
    return { tone: 'info', title: 'Nothing to verify yet', body: ['This organization’s log has no entries. Every change made from now on is recorded here.'] };
  }
  if (v.valid) {
    const first =
      v.entries === 1
        ? 'Equipoise recomputed the seal of the only entry: it has not been edited since it was written.'
        : `Equipoise recomputed the seal of all ${v.entries.toLocaleString()} entries, oldest first. Each seal covers its entry and the one before it, so none of them has been edited, reordered or removed since it was written.`;
    return {
      tone: 'success',
      title: 'The log is intact',
      body: [
        first,
        'One limit: removing the most recent entries leaves no trace in the chain, so compare the newest entry with what you expect if that matters to you.',
      ],
    };
  }
  const intact = v.entries === 1 ? 'The oldest entry is intact' : v.entries === 0 ? 'Not even the oldest entry matches' : `The ${v.entries.toLocaleString()} oldest entries are intact`;
  return {
    tone: 'danger',
    title: 'The log has been tampered with',
    body: [
      `${intact}; the chain breaks at entry ${v.first_invalid_id ?? '(unknown)'}: it was changed, or an entry before it was removed, after it was written. That entry and every later one can no longer be trusted.`,
      'Equipoise itself never edits or deletes entries, and the database refuses to; only someone with direct database access can have done this. Check who has that access and compare with a backup.',
    ],
  };
}
