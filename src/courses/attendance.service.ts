import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import type { Actor } from '../common/auth/actor';
import { ConflictError, type FieldError, InvalidInputError } from '../common/errors';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { Attendance } from './attendance.entity';
import { BookingsRepository } from './bookings.repository';
import { CoursesService } from './courses.service';
import type { RecordAttendanceDto } from './dto/record-attendance.dto';

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly courses: CoursesService,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsRepository,
  ) {}

  /** The session and who is recorded present or absent at it, for the attendance form. */
  async forSession(actor: Actor, sessionId: string) {
    const { course } = await this.courses.requireSessionInScope(
      this.db.manager,
      actor,
      sessionId,
      false,
    );
    const records = await this.db.manager.find(Attendance, { where: { sessionId } });
    return {
      course,
      records: records.map((r) => ({ volunteerId: r.volunteerId, present: r.present })),
    };
  }

  /**
   * Records present/absent for many volunteers at one session. Sending the same records
   * again changes nothing. A volunteer booked on any course of the branch may attend, so a
   * missed session can be made up in the next course without booking it.
   */
  async record(actor: Actor, sessionId: string, dto: RecordAttendanceDto, now = new Date()) {
    const duplicates = duplicateIds(dto.records.map((r) => r.volunteerId));
    if (duplicates.length > 0) {
      throw new InvalidInputError(duplicates);
    }
    return this.uow.run(async (em) => {
      // Locked (level 2 of locks.ts, before the volunteers below) so that a cancellation
      // running now either finishes first, and is seen, or waits until this commits.
      const { session, course } = await this.courses.requireSessionInScope(
        em,
        actor,
        sessionId,
        true,
      );
      if (session.cancelledAt) {
        throw new ConflictError(
          'Kursusgangen er aflyst. / The session is cancelled.',
          'session_cancelled',
        );
      }
      if (session.startsAt > now) {
        throw new ConflictError(
          'Fremmøde kan registreres, når kursusgangen er begyndt. / Attendance can be recorded once the session has started.',
          'session_not_started',
        );
      }
      const ids = dto.records.map((r) => r.volunteerId);
      // Locked in id order, so two attendance requests never deadlock on each other.
      const volunteers = await em.find(Volunteer, {
        where: { id: In(ids), branchId: course.branchId },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const unknown: FieldError[] = dto.records
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => !volunteers.some((v) => v.id === r.volunteerId))
        .map(({ i }) => ({
          field: `records.${i}.volunteerId`,
          code: 'unknownVolunteer',
          message:
            'Ingen frivillig i lokalafdelingen har dette id. / No volunteer of this branch has this id.',
        }));
      if (unknown.length > 0) {
        throw new InvalidInputError(unknown);
      }
      const booked = await this.bookings.seatedInBranch(em, ids, course.branchId);
      const notBooked = ids.filter((id) => !booked.includes(id));
      if (notBooked.length > 0) {
        throw new ConflictError(
          `Not booked on a course of this branch: ${notBooked.join(', ')}`,
          'attendee_not_booked',
        );
      }
      await em
        .createQueryBuilder()
        .insert()
        .into(Attendance)
        .values(
          dto.records.map((r) => ({
            sessionId,
            volunteerId: r.volunteerId,
            present: r.present,
            recordedBy: actor.id,
            recordedAt: now,
          })),
        )
        .orUpdate(['present', 'recorded_by', 'recorded_at'], ['session_id', 'volunteer_id'])
        .execute();
      for (const volunteer of volunteers) {
        await this.readiness.refresh(em, volunteer, now);
        const record = dto.records.find((r) => r.volunteerId === volunteer.id)!;
        await this.audit.record(em, actor, {
          action: 'attendance.recorded',
          branchId: course.branchId,
          volunteerId: volunteer.id,
          details: { sessionId, present: record.present },
        });
      }
      const recorded = await em.find(Attendance, {
        where: { sessionId },
        order: { volunteerId: 'ASC' },
      });
      return {
        sessionId,
        records: recorded.map((a) => ({ volunteerId: a.volunteerId, present: a.present })),
      };
    });
  }
}

function duplicateIds(ids: string[]): FieldError[] {
  return ids
    .map((id, i) => ({ id, i }))
    .filter(({ id, i }) => ids.indexOf(id) !== i)
    .map(({ i }) => ({
      field: `records.${i}.volunteerId`,
      code: 'duplicate',
      message: 'Den frivillige står der to gange. / This volunteer appears twice.',
    }));
}
