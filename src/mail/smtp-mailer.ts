/**
 * The SMTP `Mailer`, configured by one URL: `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://…:465` (TLS from the start). Delivery errors propagate, so the task queue retries them.
 *
 * @example const mailer = smtpMailer('smtp://mailer:secret@smtp.example.org:587', 'Equipoise <no-reply@example.org>')
 */
import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
