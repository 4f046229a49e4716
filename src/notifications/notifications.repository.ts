import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../volunteers/volunteer.entity';

/** A volunteer as a mail addresses them. */
/** What a home visit's mail and calendar entry need; `sequence` rises with each change. */
export interface HomeVisitTimes {
  scheduledAt: Date;
  createdAt: Date;
  sequence: number;
  cancelledAt: Date | null;
}

export interface Recipient {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  locale: Locale;
  postcode: string;
  branchId: string;
  branchName: string;
}

export interface DueReminder {
  sessionId: string;
  volunteerId: string;
  startsAt: Date;
  location: string;
  courseTitle: string;
  email: string;
  firstName: string;
  locale: Locale;
  /** Danish titles, in the curriculum's order. */
  topics: string[];
}

/** What the mails read that no other module's repository answers. */
@Injectable()
export class NotificationsRepository {
  async recipient(em: EntityManager, volunteerId: string): Promise<Recipient> {
    const [row] = await em.query<Recipient[]>(
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName", v.email, v.locale, v.postcode,
              v.branch_id AS "branchId", b.name AS "branchName"
         FROM volunteer v JOIN branch b ON b.id = v.branch_id
        WHERE v.id = $1`,
      [volunteerId],
    );
    return row;
  }

  async homeVisitTimes(em: EntityManager, homeVisitId: string): Promise<HomeVisitTimes> {
    const [row] = await em.query<HomeVisitTimes[]>(
      `SELECT scheduled_at AS "scheduledAt", created_at AS "createdAt", sequence,
              cancelled_at AS "cancelledAt"
         FROM home_visit WHERE id = $1`,
      [homeVisitId],
    );
    return row;
  }

  /**
   * Every seat holder of a live session starting within `hours`: an active volunteer
   * booked (not waitlisted) on a course that is not cancelled.
   */
  dueSessionReminders(em: EntityManager, hours: number): Promise<DueReminder[]> {
    return em.query<DueReminder[]>(
      `SELECT s.id AS "sessionId", v.id AS "volunteerId", s.starts_at AS "startsAt", s.location,
              c.title AS "courseTitle", v.email, v.first_name AS "firstName", v.locale,
              coalesce((SELECT array_agg(tp.title_da ORDER BY tp.position)
                          FROM course_session_topic t JOIN topic tp ON tp.code = t.topic_code
                         WHERE t.session_id = s.id), '{}') AS topics
         FROM course_session s
         JOIN course c ON c.id = s.course_id AND c.cancelled_at IS NULL
         JOIN booking k ON k.course_id = c.id AND k.status = 'booked'
         JOIN volunteer v ON v.id = k.volunteer_id AND v.status = 'active'
        WHERE s.cancelled_at IS NULL
          AND s.starts_at > now() AND s.starts_at <= now() + make_interval(hours => $1)`,
      [hours],
    );
  }

  /**
   * Active volunteers whose newest clean certificate runs out within `withinDays`
   * (validity as volunteer_certificate has it), with what the warning mail needs.
   */
  expiringCertificates(em: EntityManager, withinDays: number) {
    return em.query<ExpiringCertificate[]>(
      `SELECT c.attestation_id AS "attestationId", to_char(c.valid_until, 'YYYY-MM-DD') AS "validUntil",
              v.first_name || ' ' || v.last_name AS "volunteerName", v.first_name AS "firstName",
              v.email, v.locale, v.branch_id AS "branchId"
         FROM volunteer v
         JOIN volunteer_certificate c ON c.volunteer_id = v.id
        WHERE v.status = 'active' AND c.result = 'clean'
          AND c.valid_until BETWEEN copenhagen_today() AND copenhagen_today() + $1::int`,
      [withinDays],
    );
  }
}

export interface ExpiringCertificate {
  attestationId: string;
  validUntil: string;
  volunteerName: string;
  firstName: string;
  email: string;
  locale: Locale;
  branchId: string;
}
