import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TIME_ZONE } from '../common/dates';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { dailyPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';
import { EmailTemplates } from './email-templates';
import { emlOutboxDir } from './mailer.service';

/** At night, Copenhagen time, when nobody reads the outbox. */
export const MAIL_BODY_PURGE_AT = { hour: 3, minute: 0 };

const DAY_MS = 24 * 3600_000;

export interface MailPurge {
  /** Sent messages whose body (text, HTML, attachments) was blanked. */
  messages: number;
  /** .eml files deleted from the embedded mode's outbox folder. */
  files: number;
}

/**
 * Storage limitation for mail (issue 14): a sent email's body holds personal links and
 * words about a person, and nobody needs it once it has been delivered a while. After
 * MAIL_BODY_RETENTION_DAYS the body, the attachments (calendar invitations) and a
 * subject that names a person are blanked; the row stays as metadata (template,
 * address, times, status), with body_purged_at saying when. Failed and pending mail is
 * left alone: an administrator may still send it. The .eml files of the embedded mode
 * go after as many days.
 */
@Injectable()
export class MailRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailRetention.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: EmailTemplates,
    private readonly scheduled: ScheduledRuns,
  ) {}

  /** Catches up a day that no instance purged. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runDue(new Date());
  }

  @Cron('0 0 3 * * *', { name: 'mail-body-purge', timeZone: TIME_ZONE })
  async nightly(): Promise<void> {
    await this.runDue(new Date());
  }

  /** A failed run is tried again ten minutes later, until the day's run is done. */
  @Cron('0 */10 * * * *', { name: 'mail-body-purge-retry' })
  async retry(): Promise<void> {
    await this.runDue(new Date());
  }

  /** The day's purge, unless an instance did it. */
  runDue(now: Date): Promise<TickOutcome> {
    return this.scheduled.tick('mail-body-purge', dailyPeriodKey(MAIL_BODY_PURGE_AT, now), () =>
      this.purge(now),
    );
  }

  /** Blanks the bodies of mail sent more than the retention ago; idempotent. */
  async purge(now = new Date()): Promise<MailPurge> {
    const days = this.config.mailBodyRetentionDays;
    const due = `status = 'sent' AND body_purged_at IS NULL
                 AND sent_at < $1::timestamptz - make_interval(days => $2)`;
    const templates = await this.db.query<{ template: string }[]>(
      `SELECT DISTINCT template FROM outbox_message WHERE ${due}`,
      [now, days],
    );
    const namingSubjects = templates
      .map((t) => t.template)
      .filter((name) => this.templates.subjectNamesSomeone(name));
    const [purged] = await this.db.query<[{ id: string }[], number]>(
      `UPDATE outbox_message
          SET text_body = '', html_body = '', attachments = '[]', body_purged_at = $1,
              subject = CASE WHEN template = ANY($3) THEN '' ELSE subject END
        WHERE ${due}
        RETURNING id`,
      [now, days, namingSubjects],
    );
    const files = await this.purgeEmlFiles(now.getTime() - days * DAY_MS);
    if (purged.length > 0 || files > 0) {
      this.logger.log(
        `Mail retention (${days} days): ${purged.length} message bodies and ${files} .eml files removed`,
      );
    }
    return { messages: purged.length, files };
  }

  /** The .eml files last written before `before` (ms); a missing folder has none. */
  private async purgeEmlFiles(before: number): Promise<number> {
    const dir = emlOutboxDir(this.config.dataDir);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 0;
      }
      throw error;
    }
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const file = join(dir, name);
      if ((await stat(file)).mtimeMs < before) {
        await unlink(file);
        removed += 1;
      }
    }
    return removed;
  }
}
