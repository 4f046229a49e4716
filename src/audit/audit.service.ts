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

  listForVolunteer(em: EntityManager, volunteerId: string): Promise<AuditEvent[]> {
    return em.find(AuditEvent, { where: { volunteerId }, order: { id: 'ASC' } });
  }
}
