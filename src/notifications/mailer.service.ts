import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { OutboxMessage } from './outbox-message.entity';

/** Where mail goes as .eml files when there is no SMTP_URL (purged by MailRetention). */
export const emlOutboxDir = (dataDir: string) => join(dataDir, 'outbox');

/**
 * Sends through SMTP_URL, or without it writes each message as an .eml file under
 * DATA_DIR/outbox and logs its subject and links, so the demo works offline.
 */
@Injectable()
export class MailerService {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
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
      const file = join(this.outboxDir, `${message.createdAt.getTime()}-${message.id}.eml`);
      await writeFile(file, (info as { message: Buffer }).message);
      const links = message.textBody.match(/https?:\/\/[^\s)\]]+/g) ?? [];
      this.logger.log(
        `Mail to ${message.recipient}: "${message.subject}" ${[...new Set(links)].join(' ')}`,
      );
    }
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
