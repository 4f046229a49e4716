import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TIME_ZONE } from '../common/dates';
import { inTransaction } from '../database/transaction';
import { EmailNotifications } from '../notifications/email-notifications';
import { dailyPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';

/**
 * Only courses that ended within this many days are asked about: when the evaluation
 * starts, volunteers of courses long past are not mailed, and a run after downtime still
 * catches up.
 */
const INVITATION_WINDOW_DAYS = 14;

/** In the morning, Copenhagen time: not a mail in the middle of the night. */
export const EVALUATION_INVITATIONS_AT = { hour: 9, minute: 0 };

/**
 * The daily run that mails each attendee of an ended course the evaluation, once: one
 * instance of however many runs each day's (ScheduledRuns), from 09:00, and a start-up
 * after a missed day catches it up.
 */
@Injectable()
export class EvaluationScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: EmailNotifications,
    private readonly scheduled: ScheduledRuns,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runDue(new Date());
  }

  @Cron('0 0 9 * * *', { name: 'evaluation-invitations', timeZone: TIME_ZONE })
  async invitationRun(): Promise<void> {
    await this.runDue(new Date());
  }

  /** A failed run is tried again ten minutes later, until the day's run is done. */
  @Cron('0 */10 * * * *', { name: 'evaluation-invitations-retry' })
  async retry(): Promise<void> {
    await this.runDue(new Date());
  }

  /** The day's invitations, unless an instance sent them. */
  runDue(now: Date): Promise<TickOutcome> {
    return this.scheduled.tick(
      'evaluation-invitations',
      dailyPeriodKey(EVALUATION_INVITATIONS_AT, now),
      () => this.queueInvitations(now),
    );
  }

  /**
   * Queues the mail for every volunteer present at a session of a course that ended
   * lately and who has not answered; the outbox key (evaluationInvited) drops repeats.
   */
  async queueInvitations(now = new Date()): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const due = await em.query<{ volunteerId: string; courseId: string; title: string }[]>(
        `SELECT DISTINCT a.volunteer_id AS "volunteerId", c.id AS "courseId", c.title
           FROM course c
           JOIN course_progress p ON p.course_id = c.id
           JOIN course_session s ON s.course_id = c.id
           JOIN attendance a ON a.session_id = s.id AND a.present
           JOIN volunteer v ON v.id = a.volunteer_id AND v.status = 'active'
          WHERE p.ended AND c.cancelled_at IS NULL
            AND (SELECT max(ends_at) FROM course_session l
                  WHERE l.course_id = c.id AND l.cancelled_at IS NULL)
                > $1::timestamptz - make_interval(days => $2)
            AND NOT EXISTS (SELECT 1 FROM evaluation_response r
                             WHERE r.volunteer_id = a.volunteer_id AND r.course_id = c.id)
          ORDER BY c.id, a.volunteer_id`,
        [now, INVITATION_WINDOW_DAYS],
      );
      for (const item of due) {
        await this.mail.evaluationInvited(em, {
          volunteerId: item.volunteerId,
          courseId: item.courseId,
          courseTitle: item.title,
        });
      }
      return due.length;
    });
  }
}
