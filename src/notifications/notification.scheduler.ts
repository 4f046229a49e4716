import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { coordinatorsOf } from '../auth/staff-users.repository';
import { formatDateTime, formatLongDay } from '../common/dates';
import { NotificationsRepository } from './notifications.repository';
import { OutboxService } from './outbox.service';
import { inTransaction } from '../database/transaction';
import { dailyPeriodKey, slotPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';

const REMINDER_HOURS = 48;
const EXPIRY_WARNING_DAYS = 60;
/** The reminders' period: a run every ten minutes. */
const REMINDER_SLOT_MINUTES = 10;
/** The certificate warnings' daily time (Copenhagen). */
export const CERTIFICATE_WARNINGS_AT = { hour: 7, minute: 0 };

/**
 * Mail that time causes: session reminders and expiring certificates. Each run looks at
 * a window (the next 48 hours, the next 60 days), not at "since the last run", so a run
 * after downtime catches up. Each period (a ten-minute slot, a day) is run by one
 * instance however many there are (ScheduledRuns), and the outbox key still makes every
 * item go once should a run be repeated (a claim taken over after its lease).
 */
@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsRepository,
    private readonly scheduled: ScheduledRuns,
  ) {}

  /** Catches up: this slot's reminders, and the latest day's warnings if no one sent them. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runDue(new Date());
  }

  /**
   * Every ten minutes: the slot's reminders, and the day's certificate warnings, which
   * run at the first tick from 07:00 (and again at a later tick if that run failed).
   */
  @Cron('0 */10 * * * *', { name: 'scheduled-mail' })
  async tick(): Promise<void> {
    await this.runDue(new Date());
  }

  /** Runs whichever of the two jobs is due at `now` and not yet run for its period. */
  async runDue(now: Date): Promise<{ reminders: TickOutcome; warnings: TickOutcome }> {
    return {
      reminders: await this.scheduled.tick(
        'session-reminders',
        slotPeriodKey(REMINDER_SLOT_MINUTES, now),
        () => this.queueSessionReminders(),
      ),
      warnings: await this.scheduled.tick(
        'expiring-certificates',
        dailyPeriodKey(CERTIFICATE_WARNINGS_AT, now),
        () => this.queueExpiringCertificates(),
      ),
    };
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
}
