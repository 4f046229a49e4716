import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { CoursesRepository } from '../courses/courses.repository';
import type { SubmitEvaluationDto } from './dto/evaluation.dto';
import { answerProblems } from './evaluation-rules';
import { EvaluationResults, evaluationStatements } from './evaluation-results';
import { EVALUATION_STATEMENTS } from './statements';

export interface EvaluableCourseRow {
  courseId: string;
  title: string;
  answered: boolean;
}

@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly courses: CoursesRepository,
    private readonly results: EvaluationResults,
  ) {}

  /** The ended courses the volunteer attended (present at one of its sessions at least). */
  evaluableCourses(volunteerId: string, em: EntityManager = this.db.manager) {
    return em.query<EvaluableCourseRow[]>(
      `SELECT c.id AS "courseId", c.title,
              EXISTS (SELECT 1 FROM evaluation_response r
                       WHERE r.volunteer_id = $1 AND r.course_id = c.id) AS answered
         FROM course c
         JOIN course_progress p ON p.course_id = c.id
        WHERE p.ended AND c.cancelled_at IS NULL
          AND EXISTS (SELECT 1 FROM attendance a JOIN course_session s ON s.id = a.session_id
                       WHERE s.course_id = c.id AND a.volunteer_id = $1 AND a.present)
        ORDER BY c.id`,
      [volunteerId],
    );
  }

  async mine(volunteerId: string) {
    const rows = await this.evaluableCourses(volunteerId);
    return rows.map((r) => ({ ...r, statements: evaluationStatements() }));
  }

  /**
   * Stores one evaluation: "answered" with the volunteer, the scores and comment without
   * them. The response row's primary key makes a second submission a 409 even when two
   * race. The audit trail is left out: an entry at the moment of the insert would let its
   * time be matched with the answers' (physical) order, and "answered" is kept already.
   */
  async submit(volunteerId: string, dto: SubmitEvaluationDto) {
    const problems = answerProblems(dto.answers);
    if (problems.length > 0) {
      throw new InvalidInputError(problems);
    }
    return this.uow.run(async (em) => {
      const course = (await this.evaluableCourses(volunteerId, em)).find(
        (c) => c.courseId === dto.courseId,
      );
      if (!course) {
        throw new ConflictError(
          'Kurset kan evalueres, når det er slut, og du har deltaget. / The course can be evaluated once it has ended and you attended it.',
          'evaluation_not_open',
        );
      }
      // One submission at a time per course, so that the shuffle below sees every answer.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('evaluation:' || $1))`, [dto.courseId]);
      const inserted = await em.query<unknown[]>(
        `INSERT INTO evaluation_response (volunteer_id, course_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [volunteerId, dto.courseId],
      );
      if (inserted.length === 0) {
        throw new ConflictError(
          'Du har allerede evalueret kurset. / You have already evaluated the course.',
          'evaluation_answered',
        );
      }
      for (const s of EVALUATION_STATEMENTS) {
        await em.query(
          'INSERT INTO evaluation_answer (course_id, statement_key, score) VALUES ($1, $2, $3)',
          [dto.courseId, s.key, dto.answers[s.key]],
        );
      }
      if (dto.comment) {
        await em.query('INSERT INTO evaluation_comment (course_id, comment) VALUES ($1, $2)', [
          dto.courseId,
          dto.comment,
        ]);
      }
      await shuffleAnswers(em, dto.courseId);
      return { courseId: dto.courseId, answered: true };
    });
  }

  /** The course's evaluation for staff; figures only from MIN_RESPONSES_SHOWN responses. */
  async forCourse(actor: Actor, courseId: string) {
    const course = await this.courses.findInScope(this.db.manager, courseId, branchScopeOf(actor));
    if (!course) {
      throw new NotFoundError('Course');
    }
    return this.results.summary([courseId]);
  }
}

/**
 * Rewrites every answer and comment of the course in a random order, in the submitting
 * transaction. Written beside the "answered" mark, the new rows alone would share its
 * transaction id (xmin) and sit last on disk: a join on xmin or an order by ctid would
 * give each person's scores back. Rewritten, all of a course's answers carry the newest
 * submission's xmin and no order, so they tell nothing of who gave which.
 */
async function shuffleAnswers(em: EntityManager, courseId: string): Promise<void> {
  await em.query(
    `WITH taken AS (DELETE FROM evaluation_answer WHERE course_id = $1 RETURNING statement_key, score)
     INSERT INTO evaluation_answer (course_id, statement_key, score)
     SELECT $1, statement_key, score FROM taken ORDER BY random()`,
    [courseId],
  );
  await em.query(
    `WITH taken AS (DELETE FROM evaluation_comment WHERE course_id = $1 RETURNING comment)
     INSERT INTO evaluation_comment (course_id, comment)
     SELECT $1, comment FROM taken ORDER BY random()`,
    [courseId],
  );
}
