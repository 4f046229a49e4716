import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { NotFoundError } from '../common/errors';
import { lockCoursesBookedBy } from '../database/locks';
import { inTransaction } from '../database/transaction';
import { UnitOfWork } from '../database/unit-of-work';
import { EmailNotifications } from '../notifications/email-notifications';
import { ERASED_MESSAGE } from '../notifications/outbox.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { forgetEmlFiles } from '../notifications/mailer.service';

/** Why a person was erased: on their request, at the end of the retention period, or by staff. */
export type ErasureReason = 'request' | 'retention' | 'staff';

/** Days a controller has to answer an erasure request (GDPR art. 12(3): one month). */
export const ERASURE_REQUEST_DAYS = 30;

export interface OpenErasureRequest {
  volunteerId: string;
  firstName: string;
  lastName: string;
  requestedAt: Date;
  dueOn: string;
}

/**
 * Erasure (GDPR art. 17) as one function for every caller: the DELETE route, the
 * "Slet personen" page and the retention job (actor null: Klar itself).
 */
@Injectable()
export class ErasureService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly volunteers: VolunteersService,
    private readonly mail: EmailNotifications,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Staff erase a person they may see; another branch's person is "not found". */
  async eraseInScope(actor: Actor, volunteerId: string): Promise<void> {
    await this.erase(volunteerId, actor, 'staff', branchScopeOf(actor));
  }

  /**
   * In one transaction: the application closes as a withdrawal would (bookings cancelled,
   * the waitlist moves up, never into a started course), the farewell mail is queued,
   * links and feeds end, and everything that names the person is removed. The volunteer
   * row stays as a tombstone with the anonymous facts the figures read (branch, applied
   * date, stage reached and when, closed and erased dates) and `erased_at` set.
   */
  async erase(
    volunteerId: string,
    actor: Actor | null,
    reason: ErasureReason,
    branchScope: string | null = null,
    stillDue?: (volunteer: Volunteer) => boolean,
  ): Promise<boolean> {
    return this.uow.run(async (em) => {
      await lockCoursesBookedBy(em, volunteerId);
      const volunteer = await em.findOne(Volunteer, {
        where:
          branchScope === null
            ? { id: volunteerId, erasedAt: IsNull() }
            : { id: volunteerId, branchId: branchScope, erasedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!volunteer) {
        throw new NotFoundError('Volunteer');
      }
      // Asked again under the lock: a person reactivated since the retention job picked
      // them is not erased.
      if (stillDue && !stillDue(volunteer)) {
        return false;
      }
      const now = new Date();
      const person = {
        email: volunteer.email.toLowerCase(),
        fullName: `${volunteer.firstName} ${volunteer.lastName}`.toLowerCase(),
        phone: volunteer.phone,
      };
      if (volunteer.status === 'active') {
        await this.volunteers.close(
          em,
          volunteer,
          'withdrawn',
          { reason: null, note: null, by: actor?.id ?? null },
          now,
        );
      }
      await this.forgetMails(em, person);
      // Queued after the sweep, which spares it; the worker empties it once it is sent.
      // Not at the end of retention: months after they left, it would be a surprise.
      if (reason !== 'retention') {
        await this.mail.farewell(em, { volunteerId, erasedAt: now });
      }
      await this.forgetPerson(em, volunteer.id, person, now);
      await this.audit.record(em, actor, {
        action: 'volunteer.erased',
        branchId: volunteer.branchId,
        volunteerId,
        details: { reason },
      });
      return true;
    });
  }

  /** The volunteer asks to be erased; a second ask while one is open adds nothing. */
  async request(volunteerId: string, now = new Date()): Promise<void> {
    await this.uow.run(async (em) => {
      const volunteer = await em.findOneByOrFail(Volunteer, { id: volunteerId });
      const inserted = await em.query<{ id: string }[]>(
        `INSERT INTO erasure_request (volunteer_id, requested_at, due_on)
         VALUES ($1, $2, (($2::timestamptz AT TIME ZONE 'Europe/Copenhagen')::date + $3::int))
         ON CONFLICT (volunteer_id) WHERE handled_at IS NULL DO NOTHING
         RETURNING id`,
        [volunteerId, now, ERASURE_REQUEST_DAYS],
      );
      if (inserted.length > 0) {
        await this.audit.record(em, null, {
          action: 'volunteer.erasure_requested',
          branchId: volunteer.branchId,
          volunteerId,
        });
      }
    });
  }

  /** Open requests in the actor's scope, oldest first (the dashboard's list). */
  openRequests(actor: Actor): Promise<OpenErasureRequest[]> {
    return this.db.query<OpenErasureRequest[]>(
      `SELECT v.id AS "volunteerId", v.first_name AS "firstName", v.last_name AS "lastName",
              r.requested_at AS "requestedAt", to_char(r.due_on, 'YYYY-MM-DD') AS "dueOn"
         FROM erasure_request r JOIN volunteer v ON v.id = r.volunteer_id
        WHERE r.handled_at IS NULL AND v.erased_at IS NULL
          AND ($1::uuid IS NULL OR v.branch_id = $1)
        ORDER BY r.requested_at, r.id`,
      [branchScopeOf(actor)],
    );
  }

  /** The open request of one person in scope, for the record page; null if none. */
  async openRequestOf(actor: Actor, volunteerId: string): Promise<OpenErasureRequest | null> {
    return inTransaction(this.db, async (em) => {
      await this.volunteers.requireInScope(em, actor, volunteerId);
      const [row] = await em.query<OpenErasureRequest[]>(
        `SELECT r.volunteer_id AS "volunteerId", r.requested_at AS "requestedAt",
                to_char(r.due_on, 'YYYY-MM-DD') AS "dueOn"
           FROM erasure_request r WHERE r.volunteer_id = $1 AND r.handled_at IS NULL`,
        [volunteerId],
      );
      return row ?? null;
    });
  }

  /** The volunteer's own open request, for their page; null if none. */
  async ownOpenRequest(volunteerId: string): Promise<{ dueOn: string } | null> {
    const [row] = await this.db.query<{ dueOn: string }[]>(
      `SELECT to_char(due_on, 'YYYY-MM-DD') AS "dueOn"
         FROM erasure_request WHERE volunteer_id = $1 AND handled_at IS NULL`,
      [volunteerId],
    );
    return row ?? null;
  }

  /**
   * Every mail to the person or about them (a coordinator's notice names them): unsent
   * ones are dropped, sent and failed ones keep only their metadata.
   */
  private async forgetMails(
    em: EntityManager,
    person: { email: string; fullName: string; phone: string },
  ): Promise<void> {
    const about = `(lower(recipient) = $1
        OR position($1 in lower(subject || text_body || html_body || attachments::text)) > 0
        OR position($2 in lower(subject || text_body || html_body)) > 0
        OR ($3 <> '' AND position($3 in text_body) > 0))`;
    const params = [person.email, person.fullName, person.phone];
    const written = await em.query<{ id: string; createdAt: Date }[]>(
      `SELECT id, created_at AS "createdAt" FROM outbox_message WHERE ${about}`,
      params,
    );
    await em.query(`DELETE FROM outbox_message WHERE status = 'pending' AND ${about}`, params);
    await em.query(`${ERASED_MESSAGE} WHERE ${about}`, params);
    // The embedded mode's copies on disk go too (a rollback would leave them gone: erring
    // on the side of the person).
    await forgetEmlFiles(this.config.dataDir, written);
    // A request to mail a link, still waiting or given up on, carries the address.
    await em.query(`DELETE FROM public_request WHERE lower(payload->>'email') = $1`, [
      person.email,
    ]);
  }

  private async forgetPerson(
    em: EntityManager,
    volunteerId: string,
    person: { email: string; fullName: string; phone: string },
    now: Date,
  ): Promise<void> {
    await em.query(
      `UPDATE volunteer
          SET first_name = '', last_name = '', phone = '', postcode = '0000',
              email = 'erased-' || id || '@klar.invalid',
              motivation = '', experience = NULL, availability = '{}', languages = '{}',
              closed_reason = NULL, closed_note = NULL, erased_at = $2
        WHERE id = $1`,
      [volunteerId, now],
    );
    await em.query(`DELETE FROM volunteer_note WHERE volunteer_id = $1`, [volunteerId]);
    // A certificate with entries is a criminal-record fact: it goes. A clean one stays as
    // the date the year's figures count, which says nothing about anyone.
    await em.query(`DELETE FROM attestation WHERE volunteer_id = $1 AND result <> 'clean'`, [
      volunteerId,
    ]);
    await em.query(`UPDATE home_visit SET notes = NULL WHERE volunteer_id = $1`, [volunteerId]);
    // A course completed before Klar keeps its day, which the year's figures count (as a
    // clean certificate's); the hours from the spreadsheet are no figure's and go.
    await em.query(`UPDATE prior_course_completion SET hours = NULL WHERE volunteer_id = $1`, [
      volunteerId,
    ]);
    await em.query(`DELETE FROM portal_token WHERE volunteer_id = $1`, [volunteerId]);
    await em.query(`DELETE FROM calendar_feed WHERE volunteer_id = $1`, [volunteerId]);
    await em.query(`UPDATE volunteer SET calendar_version = calendar_version + 1 WHERE id = $1`, [
      volunteerId,
    ]);
    await em.query(
      `UPDATE erasure_request SET handled_at = $2 WHERE volunteer_id = $1 AND handled_at IS NULL`,
      [volunteerId, now],
    );
    // The audit log keeps who did what and when, not what it said about the person
    // (reasons, notes, changed values). The trigger allows this inside an erasure only.
    await em.query(`SELECT set_config('klar.erasing', 'on', true)`);
    await em.query(
      `UPDATE audit_event SET details = '{}'::jsonb
        WHERE details <> '{}'::jsonb
          AND (volunteer_id = $1
               OR position($2 in lower(details::text)) > 0
               OR position($3 in lower(details::text)) > 0)`,
      [volunteerId, person.email, person.fullName],
    );
    await em.query(`SELECT set_config('klar.erasing', 'off', true)`);
    // A refused form's input waits in its writer's session for one redirect; a staff
    // member's refused note about the person, say, must not outlive the person.
    await em.query(
      `UPDATE http_session SET sess = sess - 'formState'
        WHERE sess ? 'formState'
          AND (position($1 in lower(sess::text)) > 0
               OR position($2 in lower(sess::text)) > 0
               OR position($3 in sess::text) > 0)`,
      [person.email, person.fullName, volunteerId],
    );
  }
}
