import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError } from '../common/errors';
import { inTransaction } from '../database/transaction';
import { UnitOfWork } from '../database/unit-of-work';
import { CreateNoteDto } from './dto/create-note.dto';
import { UpdateVolunteerDto } from './dto/update-volunteer.dto';
import { describeDetails } from './volunteer-history';
import { VolunteerNote } from './volunteer-note.entity';
import { type HistoryRow, VolunteerRecordRepository } from './volunteer-record.repository';
import { Volunteer } from './volunteer.entity';
import { VolunteersService } from './volunteers.service';

const EDITABLE = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'postcode',
  'availability',
  'languages',
] as const;
type Editable = (typeof EDITABLE)[number];

/** Says where the address is in use no more than "taken": another branch's people stay unseen. */
const emailTaken = () =>
  new ConflictError('Another active volunteer uses this email address', 'volunteer_email_taken');

/** The staff side of a volunteer's record: correcting the facts, the contact log, the history. */
@Injectable()
export class VolunteerRecordService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly volunteers: VolunteersService,
    private readonly record: VolunteerRecordRepository,
    private readonly audit: AuditService,
  ) {}

  /** Saves what differs and audits which fields changed, never their values (personal data). */
  async update(actor: Actor, id: string, dto: UpdateVolunteerDto) {
    return this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, id, true);
      const changes = changedFields(volunteer, dto);
      if (changes.email !== undefined) {
        if (await this.record.emailTakenByAnother(em, changes.email, id)) {
          throw emailTaken();
        }
      }
      const changed = Object.keys(changes);
      if (changed.length > 0) {
        try {
          await em.update(Volunteer, { id }, changes);
        } catch (error) {
          // Two edits racing for one address: the partial unique index decides.
          if (isActiveEmailClash(error)) {
            throw emailTaken();
          }
          throw error;
        }
        Object.assign(volunteer, changes);
        await this.audit.record(em, actor, {
          action: 'volunteer.updated',
          branchId: volunteer.branchId,
          volunteerId: id,
          details: { changed: changed.join(',') },
        });
      }
      return this.volunteers.describe(em, volunteer);
    });
  }

  async notes(actor: Actor, id: string) {
    return inTransaction(this.db, async (em) => {
      await this.volunteers.requireInScope(em, actor, id);
      return this.record.notesOf(em, id);
    });
  }

  async addNote(actor: Actor, id: string, dto: CreateNoteDto) {
    return this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, id);
      const note = await em.save(
        em.create(VolunteerNote, {
          volunteerId: id,
          authorId: actor.id,
          text: dto.text,
          topic: dto.topic ?? null,
        }),
      );
      await this.audit.record(em, actor, {
        action: 'volunteer.note_added',
        branchId: volunteer.branchId,
        volunteerId: id,
        details: { noteId: note.id, topic: note.topic },
      });
      return this.record.noteById(em, note.id);
    });
  }

  /** The volunteer's audit trail, newest first; `actorName` null is the volunteer or Klar itself. */
  async history(actor: Actor, id: string) {
    return (await this.historyEvents(actor, id)).map((row) => ({
      at: row.at,
      actorName: row.actorName,
      action: row.action,
      detail: describeDetails(row.details),
    }));
  }

  /** The audit events as stored, for the page to word in the reader's language. */
  historyEvents(actor: Actor, id: string): Promise<HistoryRow[]> {
    return inTransaction(this.db, async (em) => {
      await this.volunteers.requireInScope(em, actor, id);
      return this.record.historyOf(em, id);
    });
  }
}

function changedFields(volunteer: Volunteer, dto: UpdateVolunteerDto): Partial<Volunteer> {
  const changes: Partial<Record<Editable, unknown>> = {};
  for (const field of EDITABLE) {
    const given = dto[field];
    if (given === undefined) {
      continue;
    }
    const current = volunteer[field];
    const same = Array.isArray(given)
      ? Array.isArray(current) && given.join('\u0000') === current.join('\u0000')
      : given === current;
    if (!same) {
      changes[field] = given;
    }
  }
  return changes as Partial<Volunteer>;
}

function isActiveEmailClash(error: unknown): boolean {
  const driverError =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; constraint?: string })
      : null;
  return driverError?.code === '23505' && driverError.constraint === 'volunteer_active_email_key';
}
