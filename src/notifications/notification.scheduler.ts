import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { coordinatorsOf } from '../auth/staff-users.repository';
import { BackgroundRuns } from '../common/background-runs';
import { formatDateTime, formatLongDay, TIME_ZONE } from '../common/dates';
import { NotificationsRepository } from './notifications.repository';
import { OutboxService } from './outbox.service';
import { inTransaction } from '../database/transaction';
import { redactForLog } from '../common/log-redaction';

const REMINDER_HOURS = 48;
const EXPIRY_WARNING_DAYS = 60;

/**
 * Mail that time causes: session reminders and expiring certificates. Each run looks at
 * a window (the next 48 hours, the next 60 days), not at "since the last run", so a run
 * after downtime catches up; the outbox key makes every item go once, however many
 * instances run and however often.
 */
@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationScheduler.name);
  private readonly runs = new BackgroundRuns();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.safely(() => this.queueSessionReminders());
    await this.safely(() => this.queueExpiringCertificates());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  @Cron('0 */10 * * * *', { name: 'session-reminders' })
  async sessionReminderRun(): Promise<void> {
    await this.safely(() => this.queueSessionReminders());
  }

  @Cron('0 0 7 * * *', { name: 'expiring-certificates', timeZone: TIME_ZONE })
  async certificateRun(): Promise<void> {
    await this.safely(() => this.queueExpiringCertificates());
  }

  /** A reminder to every volunteer with a seat, for sessions starting within 48 hours. */
  async queueSessionReminders(): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const due = await this.notifications.dueSessionReminders(em, REMINDER_HOURS);
      for (const item of due) {
        await this.outbox.enqueue(em, {
          // A moved session gets a new reminder for its new time.
          key: `session-reminder:${item.sessionId}:${item.volunteerId}:${new Date(item.startsAt).toISOString()}`,
          to: item.email,
          template: 'session-reminder',
          locale: item.locale,
          data: {
            firstName: item.firstName,
            courseTitle: item.courseTitle,
            when: formatDateTime(new Date(item.startsAt), item.locale),
            location: item.location,
            topics: item.topics.join(', '),
          },
        });
      }
      return due.length;
    });
  }

  /**
   * The volunteer and every coordinator of the branch hear once per certificate when an
   * active volunteer's newest clean certificate runs out within 60 days.
   */
  async queueExpiringCertificates(): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const expiring = await this.notifications.expiringCertificates(em, EXPIRY_WARNING_DAYS);
      for (const item of expiring) {
        const recipients = [
          { id: 'volunteer', name: item.firstName, email: item.email, locale: item.locale },
          ...(await coordinatorsOf(em, item.branchId)).map((c) => ({
            id: c.id,
            name: c.name,
            email: c.email,
            locale: c.language,
          })),
        ];
        for (const recipient of recipients) {
          await this.outbox.enqueue(em, {
            key: `attestation-expiring:${item.attestationId}:${recipient.id}`,
            to: recipient.email,
            template: 'attestation-expiring',
            locale: recipient.locale,
            data: {
              recipientName: recipient.name,
              volunteerName: item.volunteerName,
              // The volunteer reads about their own certificate, in the second person.
              forVolunteer: recipient.id === 'volunteer',
              validUntil: formatLongDay(item.validUntil, recipient.locale),
            },
          });
        }
      }
      return expiring.length;
    });
  }

  private async safely(run: () => Promise<number>): Promise<void> {
    try {
      await this.runs.run(run);
    } catch (error) {
      this.logger.error(`Scheduled mail run failed: ${redactForLog(String(error))}`);
    }
  }
}
