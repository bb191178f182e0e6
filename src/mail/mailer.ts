// Outgoing mail over SMTP (nodemailer): one transport per app, made from SMTP_URL and closed with
// the app. A failed send is logged and counted (focus_mail_failures_total), never thrown: mail goes
// out after the answer, so there is no caller left to tell.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config.js';

export interface Mail {
  /** What the mail is for, the label of its counters ("password_reset"). */
  kind: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** true once the SMTP server accepted the mail; false (logged and counted) when it did not. Never rejects. */
  send(mail: Mail, log: FastifyBaseLogger): Promise<boolean>;
}

// A dead or silent SMTP server must not hold a send (and the app's close, which waits for it) for
// nodemailer's default minutes.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

/** The app's mailer, or null when SMTP_URL is unset. Its close waits for the mail still being sent. */
export function registerMailer(app: FastifyInstance, config: Pick<Config, 'smtpUrl' | 'mailFrom'>, registry: Registry): Mailer | null {
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport({ url: config.smtpUrl, ...TIMEOUTS }, { from: config.mailFrom });
  const sent = new Counter({ name: 'focus_mails_sent_total', help: 'Mail accepted by the SMTP server, by kind', labelNames: ['kind'], registers: [registry] });
  const failed = new Counter({
    name: 'focus_mail_failures_total',
    help: 'Mail the SMTP server refused or could not be reached for, by kind (details in the error log)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const inFlight = new Set<Promise<boolean>>();

  async function deliver({ kind, to, subject, text }: Mail, log: FastifyBaseLogger): Promise<boolean> {
    try {
      await transport.sendMail({ to, subject, text });
      sent.inc({ kind });
      return true;
    } catch (error) {
      failed.inc({ kind });
      // the recipient is left out: the log must not become a list of who asked for what
      log.error({ err: error, mail_kind: kind }, 'mail not sent: the SMTP server refused it or could not be reached');
      return false;
    }
  }

  app.addHook('onClose', async () => {
    await Promise.allSettled(inFlight);
    transport.close();
  });

  return {
    send(mail, log) {
      const delivery = deliver(mail, log);
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
      return delivery;
    },
  };
}
