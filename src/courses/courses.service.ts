import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import { Branch } from '../branches/branch.entity';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { parseInstant } from '../common/dates';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../common/errors';
import { EmailNotifications } from '../notifications/email-notifications';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { Course } from './course.entity';
import {
  ALREADY_HELD_QUESTION,
  courseWarnings,
  isAlreadyHeld,
  type SessionPlan,
  sessionProblems,
} from './course-rules';
import { CourseSession, CourseSessionTopic } from './course-session.entity';
import { BookingsRepository } from './bookings.repository';
import { CoursesRepository, type SessionTrainer } from './courses.repository';
import { StaffUser } from '../auth/staff-user.entity';
import { CurriculumService } from './curriculum.service';
import type { AddSessionDto } from './dto/add-session.dto';
import type { CreateCourseDto } from './dto/create-course.dto';
import type { UpdateCourseDto } from './dto/update-course.dto';
import type { UpdateSessionDto } from './dto/update-session.dto';
import { inTransaction } from '../database/transaction';

@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly courses: CoursesRepository,
    private readonly curriculum: CurriculumService,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly mail: EmailNotifications,
    private readonly bookings: BookingsRepository,
  ) {}

  /**
   * Saves a course; one that does not cover the curriculum is saved but flagged in
   * `warnings`. A course whose sessions are all over is registered after the fact: the
   * page asks first (`confirmedAlreadyHeld`), the API takes it as it comes.
   */
  async create(
    actor: Actor,
    dto: CreateCourseDto,
    { confirmedAlreadyHeld } = { confirmedAlreadyHeld: true },
  ) {
    const plans: SessionPlan[] = dto.sessions.map((s) => ({
      startsAt: parseInstant(s.startsAt)!,
      endsAt: parseInstant(s.endsAt)!,
      topics: [...new Set(s.topics)],
    }));
    return inTransaction(this.db, async (em) => {
      const branch = await em.findOneBy(Branch, { code: dto.branchCode });
      if (!branch) {
        throw new InvalidInputError([
          { field: 'branchCode', code: 'unknownBranch', message: 'no branch has this code' },
        ]);
      }
      const scope = branchScopeOf(actor);
      if (scope !== null && scope !== branch.id) {
        throw new ForbiddenError('A coordinator creates courses in their own branch');
      }
      const curriculum = await this.curriculum.get(em);
      const problems = sessionProblems(plans, new Set(curriculum.topics.map((t) => t.code)));
      const trainers: SessionTrainer[] = [];
      for (const [i, input] of dto.sessions.entries()) {
        const { trainer, problems: trainerProblems } = await this.trainerOf(
          em,
          branch.id,
          input,
          `sessions.${i}.`,
        );
        trainers.push(trainer);
        problems.push(...trainerProblems);
      }
      if (!confirmedAlreadyHeld && isAlreadyHeld(plans, new Date())) {
        problems.push({
          field: 'alreadyHeld',
          code: 'confirmAlreadyHeld',
          message: ALREADY_HELD_QUESTION,
        });
      }
      if (problems.length > 0) {
        throw new InvalidInputError(problems);
      }
      const course = await em.save(
        em.create(Course, {
          branchId: branch.id,
          title: dto.title,
          capacity: dto.capacity,
          cancelledAt: null,
        }),
      );
      for (const [i, plan] of plans.entries()) {
        await this.courses.addSession(em, course.id, plan, dto.sessions[i].location, trainers[i]);
      }
      await this.audit.record(em, actor, {
        action: 'course.created',
        branchId: branch.id,
        details: { courseId: course.id, title: course.title },
      });
      const warnings = courseWarnings(plans, {
        requiredHours: curriculum.requiredHours,
        mandatoryTopics: curriculum.topics.filter((t) => t.mandatory).map((t) => t.code),
      });
      return { ...(await this.describe([course.id], em))[0], warnings };
    });
  }

  /** The live sessions the actor teaches, upcoming first (CoursesRepository.trainerSessions). */
  sessionsTaughtBy(actor: Actor) {
    return this.courses.trainerSessions(actor.id);
  }

  /**
   * The staff users a page offers as trainer: the coordinators of the course's branch (a
   * coordinator's own; an admin creating a course sees every branch's) and the admins.
   */
  trainerChoices(actor: Actor, branchId: string | null = branchScopeOf(actor)) {
    return this.courses.trainerChoices(branchId);
  }

  /** Upcoming courses open for booking, for the public form and the volunteer's page. */
  async listOpen(branchCode?: string) {
    const summaries = await this.courses.summaries({ branchCode, upcomingOnly: true });
    return this.withSessions(summaries);
  }

  /** Every course the actor's branch scope holds, held and upcoming, for the staff pages. */
  async listInScope(actor: Actor) {
    return this.withSessions(await this.courses.summaries({ branchId: branchScopeOf(actor) }));
  }

  async get(actor: Actor, courseId: string) {
    await this.requireInScope(this.db.manager, actor, courseId);
    return (await this.describe([courseId]))[0];
  }

  async participants(actor: Actor, courseId: string) {
    await this.requireInScope(this.db.manager, actor, courseId);
    return this.courses.participants(courseId);
  }

  /**
   * Changes title, capacity or default location. Capacity cannot fall below the seats
   * taken; a raised one gives its new seats to the waitlist (not once the course has
   * started: a seat freed then stays free).
   */
  async update(actor: Actor, courseId: string, dto: UpdateCourseDto) {
    return this.uow.run(async (em) => {
      const course = await this.requireLive(em, actor, courseId);
      if (dto.capacity !== undefined) {
        const { booked } = await this.bookings.countByStatus(em, courseId);
        if (dto.capacity < booked) {
          throw new ConflictError(
            `Kurset har ${booked} tilmeldte; kapaciteten kan ikke sættes lavere. / The course has ${booked} booked; the capacity cannot be set lower.`,
            'capacity_below_booked',
          );
        }
      }
      const changes = {
        title: dto.title ?? course.title,
        capacity: dto.capacity ?? course.capacity,
        location: dto.location ?? course.location,
      };
      await em.update(Course, { id: courseId }, changes);
      const promoted =
        changes.capacity > course.capacity
          ? await this.bookings.fillFreeSeats(em, courseId, changes.capacity)
          : [];
      for (const p of promoted) {
        await this.mail.bookingPromoted(em, p);
      }
      await this.audit.record(em, actor, {
        action: 'course.updated',
        branchId: course.branchId,
        details: {
          courseId,
          ...changes,
          promoted: promoted.length,
        },
      });
      return (await this.describe([courseId], em))[0];
    });
  }

  /**
   * Cancels a course that has not started: its sessions are cancelled, every seat and
   * waitlist place released, and whoever held one is told. It leaves the public list.
   */
  async cancel(actor: Actor, courseId: string) {
    return this.uow.run(async (em) => {
      const course = await this.requireLive(em, actor, courseId);
      if ((await this.courses.progress(courseId, em)).started) {
        throw new ConflictError(
          'Kurset er begyndt og kan ikke aflyses; aflys de enkelte kursusgange. / The course has started and cannot be cancelled; cancel its sessions one by one.',
          'course_started',
        );
      }
      await em.update(Course, { id: courseId }, { cancelledAt: new Date() });
      // Each live session is cancelled as a calendar sees it: a higher SEQUENCE.
      await em.query(
        `UPDATE course_session SET cancelled_at = now(), sequence = sequence + 1
          WHERE course_id = $1 AND cancelled_at IS NULL`,
        [courseId],
      );
      const holders = await this.bookings.releaseAll(em, courseId);
      await this.mail.courseCancelled(em, { courseId, title: course.title, holders });
      await this.audit.record(em, actor, {
        action: 'course.cancelled',
        branchId: course.branchId,
        details: { courseId, released: holders.length },
      });
      return (await this.describe([courseId], em))[0];
    });
  }

  /** The course, locked, in scope and not cancelled. */
  private async requireLive(em: EntityManager, actor: Actor, courseId: string) {
    const course = await this.requireInScope(em, actor, courseId, true);
    if (course.cancelledAt) {
      throw new ConflictError('Kurset er aflyst. / The course is cancelled.', 'course_cancelled');
    }
    return course;
  }

  async requireInScope(
    em: EntityManager,
    actor: Actor,
    courseId: string,
    lock = false,
  ): Promise<Course> {
    const course = await this.courses.findInScope(em, courseId, branchScopeOf(actor), lock);
    if (!course) {
      throw new NotFoundError('Course');
    }
    return course;
  }

  /**
   * One more session for a live course, checked as in course creation (topics from the
   * curriculum, its times) and against the course's other live sessions (no overlap).
   * Nobody is mailed: the booked volunteers' calendar feeds list it from now on.
   */
  async addSession(actor: Actor, courseId: string, dto: AddSessionDto) {
    return this.uow.run(async (em) => {
      const course = await this.requireLive(em, actor, courseId);
      const plan: SessionPlan = {
        startsAt: parseInstant(dto.startsAt)!,
        endsAt: parseInstant(dto.endsAt)!,
        topics: [...new Set(dto.topics)],
      };
      const siblings = await em.find(CourseSession, { where: { courseId } });
      const others = siblings.filter((s) => !s.cancelledAt);
      const curriculum = await this.curriculum.get(em);
      const problems = sessionProblems(
        [plan, ...others.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, topics: [] }))],
        new Set(curriculum.topics.map((t) => t.code)),
        'session',
      ).map((p) => ({ ...p, field: p.field.replace(/^session\.\d+\./, '') }));
      const { trainer, problems: trainerProblems } = await this.trainerOf(em, course.branchId, dto);
      problems.push(...trainerProblems);
      if (problems.length > 0) {
        throw new InvalidInputError(problems);
      }
      const session = await this.courses.addSession(em, courseId, plan, dto.location, trainer);
      await this.audit.record(em, actor, {
        action: 'session.added',
        branchId: course.branchId,
        details: { courseId, sessionId: session.id },
      });
      return (await this.courses.session(session.id, em))!;
    });
  }

  /** Moves or changes a session; calendars see a higher SEQUENCE and the change is announced. */
  updateSession(actor: Actor, sessionId: string, dto: UpdateSessionDto) {
    return this.changeSession(
      actor,
      sessionId,
      'session.changed',
      async (em, course, session, sequence) => {
        const plan: SessionPlan = {
          startsAt: dto.startsAt ? parseInstant(dto.startsAt)! : session.startsAt,
          endsAt: dto.endsAt ? parseInstant(dto.endsAt)! : session.endsAt,
          topics: dto.topics ? [...new Set(dto.topics)] : await this.topicsOf(em, sessionId),
        };
        const siblings = await em.find(CourseSession, { where: { courseId: course.id } });
        const others = siblings.filter((s) => s.id !== sessionId && !s.cancelledAt);
        const curriculum = await this.curriculum.get(em);
        const problems = sessionProblems(
          [plan, ...others.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, topics: [] }))],
          new Set(curriculum.topics.map((t) => t.code)),
          'session',
        ).map((p) => ({ ...p, field: p.field.replace(/^session\.\d+\./, '') }));
        // Left out: the trainer stays; either field given (null clears) names it anew. The
        // staff trainer named already is kept as they are, even one who has since moved to
        // another branch: the page's form sends them back with every change.
        const keepsTrainer =
          session.trainerUserId !== null &&
          dto.trainerUserId === session.trainerUserId &&
          (dto.trainerName ?? null) === null;
        const trainerGiven =
          !keepsTrainer && (dto.trainerName !== undefined || dto.trainerUserId !== undefined);
        const { trainer, problems: trainerProblems } = trainerGiven
          ? await this.trainerOf(em, course.branchId, dto)
          : {
              trainer: { trainerName: session.trainerName, trainerUserId: session.trainerUserId },
              problems: [],
            };
        problems.push(...trainerProblems);
        if (problems.length > 0) {
          throw new InvalidInputError(problems);
        }
        await em.update(
          CourseSession,
          { id: sessionId },
          {
            startsAt: plan.startsAt,
            endsAt: plan.endsAt,
            location: dto.location ?? session.location,
            ...trainer,
            sequence,
          },
        );
        if (dto.topics) {
          await em.delete(CourseSessionTopic, { sessionId });
          await em.insert(
            CourseSessionTopic,
            plan.topics.map((topicCode) => ({ sessionId, topicCode })),
          );
        }
      },
    );
  }

  cancelSession(actor: Actor, sessionId: string) {
    return this.changeSession(
      actor,
      sessionId,
      'session.cancelled',
      async (em, _course, _session, sequence) => {
        await em.update(CourseSession, { id: sessionId }, { cancelledAt: new Date(), sequence });
      },
    );
  }

  /**
   * The frame of every change to a session: it must be live, its SEQUENCE grows, the
   * readiness of whoever attended it is re-derived (its hours or topics may no longer
   * count), and the change is audited and announced after commit.
   */
  private async changeSession(
    actor: Actor,
    sessionId: string,
    kind: 'session.changed' | 'session.cancelled',
    apply: (
      em: EntityManager,
      course: Course,
      session: CourseSession,
      sequence: number,
    ) => Promise<void>,
  ) {
    return this.uow.run(async (em) => {
      const { course, session } = await this.requireSessionInScope(em, actor, sessionId);
      if (session.cancelledAt) {
        throw new ConflictError(
          'Kursusgangen er aflyst. / The session is cancelled.',
          'session_cancelled',
        );
      }
      const sequence = session.sequence + 1;
      await apply(em, course, session, sequence);
      await this.refreshAttendees(em, sessionId);
      await this.audit.record(em, actor, {
        action: kind,
        branchId: course.branchId,
        details: { courseId: course.id, sessionId },
      });
      const change = { sessionId, courseId: course.id, sequence };
      if (kind === 'session.cancelled') {
        await this.mail.sessionCancelled(em, change);
      } else {
        await this.mail.sessionChanged(em, change);
      }
      return (await this.courses.session(sessionId, em))!;
    });
  }

  /**
   * A session's trainer from its input: an active coordinator of the course's branch or
   * an admin (anyone else is a 400 on trainerUserId), or an external name; not both.
   */
  private async trainerOf(
    em: EntityManager,
    branchId: string,
    input: { trainerName?: string | null; trainerUserId?: string | null },
    prefix = '',
  ): Promise<{ trainer: SessionTrainer; problems: FieldError[] }> {
    const trainer: SessionTrainer = {
      trainerName: input.trainerName ?? null,
      trainerUserId: input.trainerUserId ?? null,
    };
    const problems: FieldError[] = [];
    if (trainer.trainerName !== null && trainer.trainerUserId !== null) {
      problems.push({
        field: `${prefix}trainerName`,
        code: 'trainerTwice',
        message: 'give trainerUserId or trainerName, not both',
      });
    }
    if (trainer.trainerUserId !== null) {
      const user = await em.findOneBy(StaffUser, { id: trainer.trainerUserId, active: true });
      const fits =
        user !== null &&
        (user.role === 'admin' || (user.role === 'coordinator' && user.branchId === branchId));
      if (!fits) {
        problems.push({
          field: `${prefix}trainerUserId`,
          code: 'notATrainer',
          message: "trainerUserId must be a coordinator of the course's branch or an admin",
        });
      }
    }
    return { trainer, problems };
  }

  /**
   * The session and its course if the actor's branch scope reaches it. `trainerMayAct`
   * (attendance and its participant list only) also lets the session's own trainer in,
   * whatever their branch: teaching a session gives no other access to the course.
   */
  async requireSessionInScope(
    em: EntityManager,
    actor: Actor,
    sessionId: string,
    lock = true,
    trainerMayAct = false,
  ) {
    const session = await em.findOne(CourseSession, {
      where: { id: sessionId },
      lock: lock ? { mode: 'pessimistic_write' } : undefined,
    });
    const isTrainer = trainerMayAct && session?.trainerUserId === actor.id;
    const course = session
      ? await this.courses.findInScope(
          em,
          session.courseId,
          isTrainer ? null : branchScopeOf(actor),
        )
      : null;
    if (!session || !course) {
      throw new NotFoundError('Session');
    }
    return { session, course };
  }

  /**
   * A session's page: the session, its course and booked participants for whoever may
   * take its attendance (staff of the course's branch, or the session's own trainer of
   * another branch). `full` says whether the rest of the course is theirs too; a trainer
   * of another branch gets the register and nothing else.
   */
  async sessionPage(actor: Actor, sessionId: string) {
    const em = this.db.manager;
    const { course } = await this.requireSessionInScope(em, actor, sessionId, false, true);
    const full = (await this.courses.findInScope(em, course.id, branchScopeOf(actor))) !== null;
    const described = (await this.describe([course.id], em))[0];
    return {
      course,
      full,
      session: described.sessions.find((s) => s.id === sessionId)!,
      participants: await this.courses.participants(course.id, em),
    };
  }

  private async topicsOf(em: EntityManager, sessionId: string): Promise<string[]> {
    const rows = await em.find(CourseSessionTopic, { where: { sessionId } });
    return rows.map((r) => r.topicCode);
  }

  private async refreshAttendees(em: EntityManager, sessionId: string) {
    const attendees = await em
      .getRepository(Volunteer)
      .createQueryBuilder('v')
      .innerJoin('attendance', 'a', 'a.volunteer_id = v.id')
      .where('a.session_id = :sessionId', { sessionId })
      .orderBy('v.id')
      .setLock('pessimistic_write')
      .getMany();
    for (const volunteer of attendees) {
      await this.readiness.refresh(em, volunteer);
    }
  }

  async describe(courseIds: string[], em: EntityManager = this.db.manager) {
    return this.withSessions(await this.courses.summaries({ courseIds }, em), em);
  }

  private async withSessions(
    summaries: Awaited<ReturnType<CoursesRepository['summaries']>>,
    em?: EntityManager,
  ) {
    if (summaries.length === 0) {
      return [];
    }
    const sessions = await this.courses.sessionsOf(
      summaries.map((s) => s.id),
      em,
    );
    return summaries.map((summary) => ({
      summary,
      sessions: sessions.filter((s) => s.courseId === summary.id),
    }));
  }
}
