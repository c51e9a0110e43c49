/**
 * Outgoing mail behind one small interface, so the invite task does not care how mail leaves: by SMTP
 * (`SMTP_URL`) on a real installation, or printed to the console by default, where the person running the
 * embedded default can copy the link.
 *
 * @example await mailer.send({ to: 'ana@example.org', subject: 'You are invited', text: 'Open …' })
 */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Prints each message; the default when no SMTP server is configured. */
export function consoleMailer(log: (line: string) => void = console.log): Mailer {
  return {
    async send(message) {
      log(`Mail to ${message.to}: ${message.subject}\n${message.text}`);
    },
  };
}
