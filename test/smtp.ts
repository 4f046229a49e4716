import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a free loopback port that keeps every message it receives. */
export class SmtpCatcher {
  readonly messages: ParsedMail[] = [];
  private waiters: (() => void)[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.messages.push(mail);
          this.waiters.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });

  async start(wantedPort = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(wantedPort, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Waits until a message to `to` arrives that satisfies `match`, and returns it. */
  async waitFor(to: string, match: (mail: ParsedMail) => boolean = () => true, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => recipients(m).includes(to.toLowerCase()) && match(m));
      if (found) {
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`No mail to ${to} within ${timeoutMs} ms`);
      }
      // Woken by the next message or the deadline; the deadline's timer is cleared either
      // way, or it would hold the test process open long after the run.
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(deadlineTimer);
          resolve();
        };
        const deadlineTimer = setTimeout(wake, left);
        this.waiters.push(wake);
      });
    }
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => recipients(m).includes(address.toLowerCase()));
  }
}

function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** A loopback port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The message's outbox id, which the app puts in every mail it sends. */
export function outboxIdOf(mail: ParsedMail): string | undefined {
  const id = mail.headers.get('x-klar-message-id');
  return typeof id === 'string' ? id : undefined;
}
