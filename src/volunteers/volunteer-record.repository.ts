import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuditDetails } from '../audit/audit-event.entity';
import type { NoteTopic } from './volunteer-note.entity';

export interface NoteRow {
  id: string;
  text: string;
  topic: NoteTopic | null;
  authorName: string;
  createdAt: Date;
}

export interface HistoryRow {
  at: Date;
  actorName: string | null;
  action: string;
  details: AuditDetails;
}

/** The record's contact log and audit trail, each newest first with the staff member's name. */
@Injectable()
export class VolunteerRecordRepository {
  notesOf(em: EntityManager, volunteerId: string): Promise<NoteRow[]> {
    return em.query(
      `SELECT n.id, n.text, n.topic, s.name AS "authorName", n.created_at AS "createdAt"
         FROM volunteer_note n JOIN staff_user s ON s.id = n.author_id
        WHERE n.volunteer_id = $1
        ORDER BY n.created_at DESC, n.id DESC`,
      [volunteerId],
    );
  }

  noteById(em: EntityManager, id: string): Promise<NoteRow> {
    return em
      .query<NoteRow[]>(
        `SELECT n.id, n.text, n.topic, s.name AS "authorName", n.created_at AS "createdAt"
           FROM volunteer_note n JOIN staff_user s ON s.id = n.author_id
          WHERE n.id = $1`,
        [id],
      )
      .then(([row]) => row);
  }

  /** Audit events of the volunteer; a null actor is the volunteer themself or Klar's own jobs. */
  historyOf(em: EntityManager, volunteerId: string): Promise<HistoryRow[]> {
    return em.query(
      `SELECT e.occurred_at AS at, s.name AS "actorName", e.action, e.details
         FROM audit_event e LEFT JOIN staff_user s ON s.id = e.actor_id
        WHERE e.volunteer_id = $1
        ORDER BY e.occurred_at DESC, e.id DESC`,
      [volunteerId],
    );
  }

  /** Whether another active application uses the address (the unique index is the last word). */
  async emailTakenByAnother(em: EntityManager, email: string, volunteerId: string) {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM volunteer
        WHERE lower(email) = lower($1) AND status = 'active' AND id <> $2
        LIMIT 1`,
      [email, volunteerId],
    );
    return rows.length > 0;
  }
}
