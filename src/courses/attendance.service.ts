import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import type { Actor } from '../common/auth/actor';
import { ConflictError, type FieldError, InvalidInputError } from '../common/errors';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { Attendance } from './attendance.entity';
import { AttendanceRepository } from './attendance.repository';
import { CourseSession } from './course-session.entity';
import { CoursesRepository } from './courses.repository';
import { BookingsRepository } from './bookings.repository';
import { CoursesService } from './courses.service';
import type { CourseAttendanceDto } from './dto/course-attendance.dto';
import type { RecordAttendanceDto } from './dto/record-attendance.dto';
import { exportFile, type ExportFormat } from '../common/export/spreadsheet';
import { attendanceSheet, participantsSheet } from './course-exports';

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly courses: CoursesService,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsRepository,
    private readonly attendance: AttendanceRepository,
    private readonly courseRows: CoursesRepository,
  ) {}

  /**
   * The course's attendance grid: its live sessions, everyone booked on it and every
   * make-up attendee (recorded at one of its sessions without a seat on it), and their
   * records. Also what the printed sheets list.
   */
  async grid(actor: Actor, courseId: string, now = new Date()) {
    const course = await this.courses.requireInScope(this.db.manager, actor, courseId);
    return { course, ...(await this.gridOf(this.db.manager, courseId, now)) };
  }

  /** The course's participants as a file with the course page's columns; audited. */
  async exportParticipants(actor: Actor, courseId: string, format: ExportFormat) {
    const course = await this.courses.requireInScope(this.db.manager, actor, courseId);
    const rows = await this.courseRows.participants(courseId);
    await this.audit.record(this.db.manager, actor, {
      action: 'course.exported',
      branchId: course.branchId,
      details: { list: 'participants', courseId, format, rows: rows.length },
    });
    return exportFile(
      { name: `deltagere-${fileSlug(course.title)}`, ...participantsSheet(rows) },
      format,
    );
  }

  /** The attendance register as a file: a row per person, a column per live session; audited. */
  async exportAttendance(actor: Actor, courseId: string, format: ExportFormat) {
    const { course, ...grid } = await this.grid(actor, courseId);
    await this.audit.record(this.db.manager, actor, {
      action: 'course.exported',
      branchId: course.branchId,
      details: { list: 'attendance', courseId, format, rows: grid.people.length },
    });
    return exportFile(
      { name: `fremmoede-${fileSlug(course.title)}`, ...attendanceSheet(grid) },
      format,
    );
  }

  /**
   * The grid for a printed sheet (names and phone numbers leaving Klar on paper): every
   * print is audited with who, when and which list of which course.
   */
  async exportGrid(
    actor: Actor,
    courseId: string,
    list: 'attendance_sheet' | 'participant_list',
    now = new Date(),
  ) {
    const course = await this.courses.requireInScope(this.db.manager, actor, courseId);
    const grid = await this.gridOf(this.db.manager, courseId, now);
    await this.audit.record(this.db.manager, actor, {
      action: 'export.printed',
      branchId: course.branchId,
      details: { list, courseId, people: grid.people.length },
    });
    return { course, ...grid };
  }

  /** Who may be added to the grid as a make-up (see AttendanceRepository.makeUpCandidates). */
  async makeUpCandidates(actor: Actor, courseId: string) {
    const course = await this.courses.requireInScope(this.db.manager, actor, courseId);
    return this.attendance.makeUpCandidates(courseId, course.branchId);
  }

  /**
   * Saves cells of the grid, all or nothing: `present` true or false records the
   * volunteer at the session, `null` clears the record. A volunteer not yet in the grid
   * is added as a make-up if booked on another course of the branch (a missed session
   * is made up in another course). Whoever's attendance changed has readiness re-derived.
   */
  async recordGrid(actor: Actor, courseId: string, dto: CourseAttendanceDto, now = new Date()) {
    const duplicates = duplicateCells(dto.records);
    if (duplicates.length > 0) {
      throw new InvalidInputError(duplicates);
    }
    return this.uow.run(async (em) => {
      const course = await this.courses.requireInScope(em, actor, courseId);
      // Every session of the course, locked in id order (level 2 of locks.ts, before the
      // volunteers below), as the per-session attendance locks its one session: a
      // session cancelled or moved meanwhile is seen, or waits until this commits.
      const sessions = await em.find(CourseSession, {
        where: { courseId },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const ids = [...new Set(dto.records.map((r) => r.volunteerId))].sort();
      const volunteers = await em.find(Volunteer, {
        where: { id: In(ids), branchId: course.branchId },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const seated = await this.bookings.seatedInBranch(em, ids, course.branchId);
      const existing = await this.attendance.records(courseId, em);
      const problems: FieldError[] = [];
      dto.records.forEach((r, i) => {
        if (!sessions.some((s) => s.id === r.sessionId)) {
          problems.push({
            field: `records.${i}.sessionId`,
            code: 'notOfThisCourse',
            message:
              'Kursusgangen hører ikke til dette kursus. / The session is not of this course.',
          });
        }
        const known = volunteers.some((v) => v.id === r.volunteerId);
        const inGrid = existing.some((a) => a.volunteerId === r.volunteerId);
        if (!known || (!seated.includes(r.volunteerId) && !inGrid)) {
          problems.push({
            field: `records.${i}.volunteerId`,
            code: 'notBookedInBranch',
            message:
              'Den frivillige er hverken tilmeldt dette kursus eller et andet kursus i lokalafdelingen. / The volunteer is booked neither on this course nor on another course of the branch.',
          });
        }
      });
      if (problems.length > 0) {
        throw new InvalidInputError(problems);
      }
      for (const r of dto.records) {
        assertAttendanceOpen(
          sessions.find((s) => s.id === r.sessionId)!,
          now,
        );
      }
      const changes = dto.records.filter((r) => {
        const before = existing.find(
          (a) => a.sessionId === r.sessionId && a.volunteerId === r.volunteerId,
        );
        return (before?.present ?? null) !== r.present;
      });
      const cleared = changes.filter((r) => r.present === null);
      const set = changes.filter((r) => r.present !== null);
      for (const r of cleared) {
        await em.delete(Attendance, { sessionId: r.sessionId, volunteerId: r.volunteerId });
      }
      if (set.length > 0) {
        await em
          .createQueryBuilder()
          .insert()
          .into(Attendance)
          .values(
            set.map((r) => ({
              sessionId: r.sessionId,
              volunteerId: r.volunteerId,
              present: r.present!,
              recordedBy: actor.id,
              recordedAt: now,
            })),
          )
          .orUpdate(['present', 'recorded_by', 'recorded_at'], ['session_id', 'volunteer_id'])
          .execute();
      }
      for (const volunteer of volunteers) {
        const own = changes.filter((r) => r.volunteerId === volunteer.id);
        if (own.length === 0) {
          continue;
        }
        await this.readiness.refresh(em, volunteer, now);
        // One row a changed cell, as the per-session attendance writes them.
        for (const r of own) {
          await this.audit.record(em, actor, {
            action: r.present === null ? 'attendance.cleared' : 'attendance.recorded',
            branchId: course.branchId,
            volunteerId: volunteer.id,
            details: { courseId, sessionId: r.sessionId, present: r.present },
          });
        }
      }
      return { course, ...(await this.gridOf(em, courseId, now)) };
    });
  }

  private async gridOf(em: EntityManager, courseId: string, now: Date) {
    const sessions = (await this.courseRows.sessionsOf([courseId], em))
      .filter((s) => !s.cancelledAt)
      .map((s) => ({ ...s, started: s.startsAt <= now }));
    const people = await this.attendance.people(courseId, em);
    const records = await this.attendance.records(courseId, em);
    return { sessions, people, records };
  }

  /** The session and who is recorded present or absent at it, for the attendance form. */
  async forSession(actor: Actor, sessionId: string) {
    const { course } = await this.courses.requireSessionInScope(
      this.db.manager,
      actor,
      sessionId,
      false,
      true,
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
        true,
      );
      assertAttendanceOpen(session, now);
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
          `${notBooked.length === 1 ? 'En deltager er' : `${notBooked.length} deltagere er`} ikke tilmeldt et kursus i lokalafdelingen. / ${notBooked.length} of the participants ${notBooked.length === 1 ? 'is' : 'are'} not booked on a course of this branch.`,
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

function duplicateCells(records: { sessionId: string; volunteerId: string }[]): FieldError[] {
  const keys = records.map((r) => `${r.sessionId}/${r.volunteerId}`);
  return keys
    .map((key, i) => ({ key, i }))
    .filter(({ key, i }) => keys.indexOf(key) !== i)
    .map(({ i }) => ({
      field: `records.${i}.volunteerId`,
      code: 'duplicate',
      message:
        'Den frivillige står to gange for samme kursusgang. / The volunteer appears twice for the session.',
    }));
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

/** Attendance is taken for a session that has begun and was not cancelled. */
function assertAttendanceOpen(session: { cancelledAt: Date | null; startsAt: Date }, now: Date) {
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
}

/** A course title as a file name: Danish letters spelled out, the rest dashes. */
function fileSlug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'oe')
      .replace(/å/g, 'aa')
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'kursus'
  );
}
