// A real SMTP server for the tests (the smtp-server package) on 127.0.0.1 and a free port: it
// requires the credentials of its URL, keeps what it accepts, and can refuse or hold messages.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients. */
  to: string[];
  headers: Record<string, string>;
  /** The body, its transfer encoding undone. */
  text: string;
}

export interface TestSmtpServer {
  /** smtp://user:pass@127.0.0.1:port, as SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** From now on, every message is refused with 550 (true) or accepted again (false). */
  refuse(refusing: boolean): void;
  /** From now on, every message waits in DATA until the promise this returns is released; call it to release. */
  hold(): () => void;
  /** The next message to `address` not taken before; fails after `timeoutMs`. */
  nextMailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Every message to `address` received so far. */
  mailsTo(address: string): ReceivedMail[];
  close(): Promise<void>;
}

const USER = 'focus';
const PASS = 'smtp-secret';

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable': {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    case 'base64':
      return Buffer.from(body, 'base64').toString('utf8');
    default:
      return body;
  }
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { to, headers, text: decodeBody(raw.slice(split + 4), headers['content-transfer-encoding']).replace(/\r\n/g, '\n') };
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  let refusing = false;
  let held: Promise<void> | null = null;

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'], // plain text on the loopback: no certificate to trust
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) return callback(null, { user: USER });
      callback(new Error('invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (held ?? Promise.resolve()).then(() => {
          if (refusing) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();

  const mailsTo = (address: string) => received.filter((mail) => mail.to.includes(address));
  return {
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}`,
    received,
    refuse(value) {
      refusing = value;
    },
    hold() {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
    mailsTo,
    async nextMailTo(address, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = mailsTo(address).find((m) => !taken.has(m));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
