import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { OutboxMessage } from './outbox-message.entity';

/** Where mail goes as .eml files when there is no SMTP_URL (purged by MailRetention). */
export const emlOutboxDir = (dataDir: string) => join(dataDir, 'outbox');

/** The .eml file the embedded mode wrote for a message. */
const emlFileOf = (dataDir: string, message: { id: string; createdAt: Date }) =>
  join(emlOutboxDir(dataDir), `${message.createdAt.getTime()}-${message.id}.eml`);

/**
 * Removes the .eml files of these messages, if the embedded mode wrote any: an erased
 * person's mails must not stay on disk when their rows are emptied.
 */
export async function forgetEmlFiles(
  dataDir: string,
  messages: { id: string; createdAt: Date }[],
): Promise<void> {
  await Promise.all(messages.map((m) => rm(emlFileOf(dataDir, m), { force: true })));
}

/**
 * Sends through SMTP_URL, or without it writes each message as an .eml file under
 * DATA_DIR/outbox and logs which file holds it, so the demo works offline. The log line
 * names the recipient by id (volunteer or staff user), never by address, and carries no
 * link: a personal link in a log would open the person's page for whoever reads the log.
 */
@Injectable()
export class MailerService {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.outboxDir = emlOutboxDir(config.dataDir);
    this.transport = config.smtpUrl
      ? createTransport(smtpOptions(config.smtpUrl))
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: OutboxMessage): Promise<void> {
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: message.recipient,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      attachments: message.attachments.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
      })),
      // Lets a receiver (and the tests) see that two deliveries are one message.
      headers: { 'X-Klar-Message-Id': message.id },
    });
    if (!this.config.smtpUrl) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = emlFileOf(this.config.dataDir, message);
      await writeFile(file, (info as { message: Buffer }).message);
      this.logger.log(
        `Mail ${message.template} queued to ${await this.whoIs(message.recipient)}: outbox/${file.split(/[\\/]/).pop()}`,
      );
    }
  }

  /** "volunteer <id>", "staff user <id>", or "an address Klar holds no one under". */
  private async whoIs(address: string): Promise<string> {
    const rows: { kind: string; id: string }[] = await this.db.query(
      `SELECT 'volunteer' AS kind, id FROM volunteer WHERE lower(email) = lower($1)
       UNION ALL
       SELECT 'staff user' AS kind, id FROM staff_user WHERE lower(email) = lower($1)
       LIMIT 1`,
      [address],
    );
    return rows[0] ? `${rows[0].kind} ${rows[0].id}` : 'an address Klar holds no one under';
  }
}

/** SMTP_URL as nodemailer options, with timeouts well inside the outbox's claim lease. */
function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
}
