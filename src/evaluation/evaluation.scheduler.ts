import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TIME_ZONE } from '../common/dates';
import { inTransaction } from '../database/transaction';
import { EmailNotifications } from '../notifications/email-notifications';
import { redactForLog } from '../common/log-redaction';

/**
 * Only courses that ended within this many days are asked about: when the evaluation
 * starts, volunteers of courses long past are not mailed, and a run after downtime still
 * catches up.
 */
const INVITATION_WINDOW_DAYS = 14;

/** The daily run that mails each attendee of an ended course the evaluation, once. */
@Injectable()
export class EvaluationScheduler {
  private readonly logger = new Logger(EvaluationScheduler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: EmailNotifications,
  ) {}

  @Cron('0 0 9 * * *', { name: 'evaluation-invitations', timeZone: TIME_ZONE })
  async invitationRun(): Promise<void> {
    try {
      await this.queueInvitations();
    } catch (error) {
      this.logger.error(`Queueing evaluation mails failed: ${redactForLog(String(error))}`);
    }
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
