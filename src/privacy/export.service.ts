import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { toIsoWithOffset } from '../common/dates';
import { NotFoundError } from '../common/errors';
import { inTransaction } from '../database/transaction';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { withoutLinks } from '../common/log-redaction';
import { toConsentView } from './consent';

type Row = Record<string, unknown>;

/** Everything Klar holds about one person (GDPR art. 15 and 20), as plain JSON. */
export interface PersonalDataExport {
  exportedAt: string;
  volunteer: Row;
  consent: { givenAt: string | null; textVersion: string | null; source: string | null };
  homeVisits: Row[];
  certificates: Row[];
  bookings: Row[];
  attendance: Row[];
  /** The course completed before Klar (from the branch's spreadsheet), or null. */
  priorCourseCompletion: Row | null;
  notes: Row[];
  materialConfirmations: Row[];
  evaluations: Row[];
  erasureRequests: Row[];
  emails: Row[];
  history: Row[];
}

/**
 * The access export: the staff side (coordinator of the branch, administrator) and the
 * volunteer's own read the same document. Every export is audited, who and whom.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly volunteers: VolunteersService,
    private readonly audit: AuditService,
  ) {}

  async forStaff(actor: Actor, volunteerId: string): Promise<PersonalDataExport> {
    return inTransaction(this.db, async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, volunteerId);
      await this.audit.record(em, actor, {
        action: 'volunteer.exported',
        branchId: volunteer.branchId,
        volunteerId,
      });
      return this.collect(em, volunteer);
    });
  }

  async own(volunteerId: string): Promise<PersonalDataExport> {
    return inTransaction(this.db, async (em) => {
      const volunteer = await em.findOneBy(Volunteer, { id: volunteerId, erasedAt: IsNull() });
      if (!volunteer) {
        throw new NotFoundError('Volunteer');
      }
      await this.audit.record(em, null, {
        action: 'volunteer.exported_own',
        branchId: volunteer.branchId,
        volunteerId,
      });
      return this.collect(em, volunteer);
    });
  }

  private async collect(em: EntityManager, v: Volunteer): Promise<PersonalDataExport> {
    const q = async (sql: string, params: unknown[] = [v.id]) =>
      (await em.query<Row[]>(sql, params)).map(withIsoTimes);
    const [branch] = await em.query<{ code: string; name: string }[]>(
      `SELECT code, name FROM branch WHERE id = $1`,
      [v.branchId],
    );
    return {
      exportedAt: toIsoWithOffset(new Date()),
      volunteer: withIsoTimes({
        id: v.id,
        branch: branch ? { code: branch.code, name: branch.name } : null,
        firstName: v.firstName,
        lastName: v.lastName,
        email: v.email,
        phone: v.phone,
        postcode: v.postcode,
        motivation: v.motivation,
        experience: v.experience,
        availability: v.availability,
        languages: v.languages,
        locale: v.locale,
        status: v.status,
        stage: v.stage,
        matchableSince: v.matchableSince,
        matchableUntil: v.matchableUntil,
        appliedAt: v.createdAt,
        closedAt: v.closedAt,
        closedReason: v.closedReason,
        closedNote: v.closedNote,
        updatedAt: v.updatedAt,
      }),
      consent: toConsentView(v),
      homeVisits: await q(
        `SELECT h.scheduled_at AS "scheduledAt", h.held_at AS "heldAt", h.outcome,
                h.notes, h.outcome_at AS "outcomeAt", h.cancelled_at AS "cancelledAt",
                s.name AS "coordinatorName"
           FROM home_visit h LEFT JOIN staff_user s ON s.id = h.created_by
          WHERE h.volunteer_id = $1 ORDER BY h.scheduled_at`,
      ),
      certificates: await q(
        `SELECT requested_on::text AS "requestedOn", received_on::text AS "receivedOn", result
           FROM attestation WHERE volunteer_id = $1 ORDER BY received_on, created_at`,
      ),
      bookings: await q(
        `SELECT c.title AS "courseTitle", k.status, k.waitlist_position AS "waitlistPosition",
                k.created_at AS "bookedAt", k.cancelled_at AS "cancelledAt"
           FROM booking k JOIN course c ON c.id = k.course_id
          WHERE k.volunteer_id = $1 ORDER BY k.created_at`,
      ),
      attendance: await q(
        `SELECT c.title AS "courseTitle", s.starts_at AS "sessionStartsAt", a.present,
                a.recorded_at AS "recordedAt"
           FROM attendance a JOIN course_session s ON s.id = a.session_id
           JOIN course c ON c.id = s.course_id
          WHERE a.volunteer_id = $1 ORDER BY s.starts_at`,
      ),
      priorCourseCompletion:
        (
          await q(
            `SELECT completed_on::text AS "completedOn", hours::float AS hours,
                    recorded_at AS "recordedAt"
               FROM prior_course_completion WHERE volunteer_id = $1`,
          )
        )[0] ?? null,
      notes: await q(
        `SELECT n.text, n.topic, s.name AS "authorName", n.created_at AS "createdAt"
           FROM volunteer_note n LEFT JOIN staff_user s ON s.id = n.author_id
          WHERE n.volunteer_id = $1 ORDER BY n.created_at`,
      ),
      materialConfirmations: await q(
        `SELECT m.title, c.version, c.confirmed_at AS "confirmedAt"
           FROM material_confirmation c JOIN material m ON m.id = c.material_id
          WHERE c.volunteer_id = $1 ORDER BY c.confirmed_at`,
      ),
      evaluations: await q(
        `SELECT c.title AS "courseTitle", true AS answered
           FROM evaluation_response r JOIN course c ON c.id = r.course_id
          WHERE r.volunteer_id = $1 ORDER BY c.title`,
      ),
      erasureRequests: await q(
        `SELECT requested_at AS "requestedAt", due_on::text AS "dueOn", handled_at AS "handledAt"
           FROM erasure_request WHERE volunteer_id = $1 ORDER BY requested_at`,
      ),
      // The words as sent, but no working link: the file leaves Klar.
      emails: (
        await q(
          `SELECT template, subject, text_body AS "textBody", status, created_at AS "queuedAt",
                  sent_at AS "sentAt"
             FROM outbox_message WHERE lower(recipient) = lower($1) ORDER BY created_at, id`,
          [v.email],
        )
      ).map((m) => ({
        ...m,
        textBody: typeof m.textBody === 'string' ? withoutLinks(m.textBody) : m.textBody,
      })),
      history: await q(
        `SELECT e.occurred_at AS "at", e.action, s.name AS "actorName", e.details
           FROM audit_event e LEFT JOIN staff_user s ON s.id = e.actor_id
          WHERE e.volunteer_id = $1 ORDER BY e.id`,
      ),
    };
  }
}

/** Times in the API carry Copenhagen's offset, as the rest of the record does. */
function withIsoTimes(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, value]) => [
      k,
      value instanceof Date ? toIsoWithOffset(value) : value,
    ]),
  );
}
