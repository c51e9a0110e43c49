/** An invite's state as the inviter reads it: a short label for the badge and a sentence for its tooltip. */
import type { InviteStatus } from './api.ts';

export interface InviteStatusWords {
  readonly label: string;
  readonly tone: 'neutral' | 'info' | 'success' | 'warning';
  readonly hint: string;
}

export function inviteStatus(status: InviteStatus): InviteStatusWords {
  switch (status) {
    case 'pending':
      return { label: 'Queued', tone: 'info', hint: 'The mail has not gone out yet; the server’s task worker sends it within seconds.' };
    case 'sent':
      return { label: 'Sent', tone: 'neutral', hint: 'The link went out (by mail, or to the server console when no SMTP server is configured) and has not been used yet.' };
    case 'accepted':
      return { label: 'Accepted', tone: 'success', hint: 'They used the link and are now a member.' };
    case 'expired':
      return { label: 'Expired', tone: 'warning', hint: 'The link was not used in time. Invite them again to send a new one.' };
  }
}
