import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { EmailTemplates } from './email-templates';
import type { Locale } from '../volunteers/volunteer.entity';

export interface OutgoingEmail {
  to: string;
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
}

/**
 * Sends through SMTP_URL, or without it writes each message as an .eml file under
 * DATA_DIR/outbox and logs its subject and links, so the demo works offline.
 */
@Injectable()
export class MailerService {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: EmailTemplates,
  ) {
    this.outboxDir = join(config.dataDir, 'outbox');
    this.transport = config.smtpUrl
      ? createTransport(config.smtpUrl)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(email: OutgoingEmail): Promise<void> {
    const rendered = this.templates.render(email.template, email.locale, email.data);
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: email.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    });
    if (!this.config.smtpUrl) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${Date.now()}-${email.template}.eml`);
      await writeFile(file, (info as { message: Buffer }).message);
      const links = rendered.text.match(/https?:\/\/\S+/g) ?? [];
      this.logger.log(`Mail to ${email.to}: "${rendered.subject}" ${links.join(' ')} (${file})`);
    }
  }
}
