import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { AuditDetails, AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  branchId: string | null;
  volunteerId?: string | null;
  details?: AuditDetails;
}

/** How long one logged read of a volunteer's certificate covers the same reader's rereads. */
export const SENSITIVE_READ_WINDOW_MINUTES = 10;

/** Appends to the audit log inside the caller's transaction, so the log and the change commit together. */
@Injectable()
export class AuditService {
  async record(em: EntityManager, actor: Actor | null, entry: AuditEntry): Promise<void> {
    await em.insert(AuditEvent, {
      actorId: actor?.id ?? null,
      action: entry.action,
      branchId: entry.branchId,
      volunteerId: entry.volunteerId ?? null,
      details: entry.details ?? {},
    });
  }

  /** Several entries at once (an import's event per row), in multi-row inserts. */
  async recordMany(em: EntityManager, actor: Actor | null, entries: AuditEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 500) {
      await em.insert(
        AuditEvent,
        entries.slice(i, i + 500).map((entry) => ({
          actorId: actor?.id ?? null,
          action: entry.action,
          branchId: entry.branchId,
          volunteerId: entry.volunteerId ?? null,
          details: entry.details ?? {},
        })),
      );
    }
  }

  /**
   * A read of sensitive data (a certificate's result): who read it and when. A
   * coordinator on the record page reloads it after every form, so one read per reader
   * per volunteer per `withinMinutes` (default 10) is logged: the log says who saw it and
   * roughly when, without a row per click.
   */
  async recordRead(
    em: EntityManager,
    actor: Actor,
    entry: AuditEntry & { volunteerId: string },
    withinMinutes = SENSITIVE_READ_WINDOW_MINUTES,
  ): Promise<void> {
    const recent: unknown[] = await em.query(
      `SELECT 1 FROM audit_event
        WHERE actor_id = $1 AND action = $2 AND volunteer_id = $3
          AND occurred_at > now() - make_interval(mins => $4::int)
        LIMIT 1`,
      [actor.id, entry.action, entry.volunteerId, withinMinutes],
    );
    if (recent.length === 0) {
      await this.record(em, actor, entry);
    }
  }

  listForVolunteer(em: EntityManager, volunteerId: string): Promise<AuditEvent[]> {
    return em.find(AuditEvent, { where: { volunteerId }, order: { id: 'ASC' } });
  }
}
