import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EVALUATION_STATEMENTS, MIN_RESPONSES_SHOWN } from './statements';

/**
 * The statements as the JSON gives them: `text` in Danish (api.md) and `textEn` beside it
 * for English readers; pages show the reader's (`{{t text textEn}}`).
 */
export const evaluationStatements = () =>
  EVALUATION_STATEMENTS.map((s) => ({ key: s.key, text: s.text[0], textEn: s.text[1] }));

/**
 * The figures of an evaluation over some courses (one, or a year's), with no access check:
 * the caller has shown the courses are the reader's. Its own module, so the course pages
 * can show them without depending on the volunteer's side of the evaluation.
 */
@Injectable()
export class EvaluationResults {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The courses whose last session ended in `year` (Copenhagen), in the branch scope
   * (null: every branch), each with its figures; the year's own totals are issue 15's.
   */
  async ofYear(year: number, branchId: string | null) {
    const courses = await this.db.query<{ id: string; title: string; endedAt: Date }[]>(
      `SELECT c.id, c.title, max(s.ends_at) AS "endedAt"
         FROM course c JOIN course_session s ON s.course_id = c.id AND s.cancelled_at IS NULL
        WHERE c.cancelled_at IS NULL AND ($2::uuid IS NULL OR c.branch_id = $2)
        GROUP BY c.id
       HAVING extract(year FROM max(s.ends_at) AT TIME ZONE 'Europe/Copenhagen') = $1
          AND max(s.ends_at) < now()
        ORDER BY max(s.ends_at)`,
      [year, branchId],
    );
    return Promise.all(
      courses.map(async (c) => ({ ...c, evaluation: await this.summary([c.id]) })),
    );
  }

  async summary(courseIds: string[]) {
    const [{ responses }] = await this.db.query<{ responses: number }[]>(
      'SELECT count(*)::int AS responses FROM evaluation_response WHERE course_id = ANY($1)',
      [courseIds],
    );
    const shown = responses >= MIN_RESPONSES_SHOWN;
    const averages = shown
      ? await this.db.query<{ key: string; average: string }[]>(
          `SELECT statement_key AS key, round(avg(score), 2) AS average
             FROM evaluation_answer WHERE course_id = ANY($1) GROUP BY statement_key`,
          [courseIds],
        )
      : [];
    // Ordered by the text, not by when it was written: the order must not tell who.
    const comments = shown
      ? await this.db.query<{ comment: string }[]>(
          'SELECT comment FROM evaluation_comment WHERE course_id = ANY($1) ORDER BY comment',
          [courseIds],
        )
      : [];
    return {
      responses,
      statements: evaluationStatements().map((s) => {
        const row = averages.find((a) => a.key === s.key);
        return { ...s, average: row ? Number(row.average) : null };
      }),
      comments: comments.map((c) => c.comment),
    };
  }
}

@Module({ providers: [EvaluationResults], exports: [EvaluationResults] })
export class EvaluationResultsModule {}
