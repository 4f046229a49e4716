import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { instantFromToday } from './dates';
import { createCourse, Factory, fullCourseSessions } from './factories';
import { staffRequests } from './staff-requests';
import type { YearFigures } from '../src/reports/year-figures.repository';

/**
 * The year's figures for people imported from a branch's spreadsheet: a course completed
 * before Klar counts as completed on its day (prior_course_completion.completed_on, as
 * the import writes it), for "completed the course" and "became matchable", in the year
 * of that day, not of the import (year-figures.e2e-spec.ts has the rest of the figures).
 */
const Y = new Date().getUTCFullYear() - 2;
const P = Y - 1;
const at = (day: string) => `${day}T10:00:00Z`;
const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe("the year's figures with courses completed before Klar", () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let token = '';
  const { staff, book } = staffRequests(() => ({ t, token }));
  const sql = (text: string, params: unknown[]) => t.db.query(text, params);

  const applied = async (day: string) => {
    const v = await factory.apply({ branchCode });
    await sql('UPDATE volunteer SET created_at = $2 WHERE id = $1', [v.id, at(day)]);
    return v;
  };
  const prior = (volunteerId: string, day: string) =>
    sql('INSERT INTO prior_course_completion (volunteer_id, completed_on) VALUES ($1, $2)', [
      volunteerId,
      day,
    ]);
  const approvedVisit = async (volunteerId: string, day: string) => {
    const res = await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/home-visits`))
      .send({ scheduledAt: instantFromToday(10) })
      .expect(201);
    await staff(request(t.http).post(`/api/v1/home-visits/${res.body.id}/outcome`))
      .send({ outcome: 'approved', notes: 'Notat' })
      .expect(200);
    await sql(
      `UPDATE home_visit SET created_at = $2::timestamptz - interval '5 days', scheduled_at = $2,
              held_at = $2, outcome_at = $2 WHERE id = $1`,
      [res.body.id, at(day)],
    );
  };
  const cleanCertificate = async (volunteerId: string, day: string) => {
    const res = await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/attestations`))
      .send({ receivedOn: instantFromToday(-1).slice(0, 10), result: 'clean' })
      .expect(201);
    await sql('UPDATE attestation SET received_on = $2 WHERE id = $1', [res.body.id, day]);
  };
  const figures = async () =>
    (
      await staff(
        request(t.http)
          .get('/api/v1/reports/year')
          .query({ year: String(Y) }),
      ).expect(200)
    ).body as { figures: YearFigures; previousYear: YearFigures };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    token = (await factory.coordinator(branchCode)).token;

    // A: completed before Klar in Y (before the applied date the file gives), approved
    // and certified in Y: matchable on the certificate's day.
    const a = await applied(`${Y}-02-01`);
    await prior(a.id, `${Y}-01-15`);
    await approvedVisit(a.id, `${Y}-03-01`);
    await cleanCertificate(a.id, `${Y}-03-10`);
    // B: completed before Klar in the year before; nothing else.
    const b = await applied(`${P}-06-01`);
    await prior(b.id, `${P}-05-01`);
    // C: completed before Klar in Y, approved and certified earlier: matchable on the
    // course's day.
    const c = await applied(`${Y}-01-05`);
    await approvedVisit(c.id, `${Y}-01-20`);
    await cleanCertificate(c.id, `${Y}-02-01`);
    await prior(c.id, `${Y}-06-01`);
    // D: completed before Klar in the year before, and the course in Klar again in Y:
    // the earlier counts, once.
    const d = await applied(`${P}-02-01`);
    await prior(d.id, `${P}-03-01`);
    const course = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-30) });
    for (const [i, s] of course.sessions.entries()) {
      await sql(
        `UPDATE course_session SET starts_at = $2, ends_at = $2::timestamptz + interval '5 hours'
          WHERE id = $1`,
        [s.id, at(`${Y}-04-0${i + 1}`)],
      );
    }
    await book(course.id, d.id).expect(201);
    for (const s of course.sessions) {
      await staff(request(t.http).put(`/api/v1/sessions/${s.id}/attendance`))
        .send({ records: [{ volunteerId: d.id, present: true }] })
        .expect(200);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('should count a prior completion in the year of its day, for the course and for matchable', async () => {
    const { figures: year, previousYear } = await figures();
    expect(year).toMatchObject({
      applications: 2, // A, C
      completedCourse: 2, // A, C (D completed in P)
      becameMatchable: 2, // A on Y-03-10, C on Y-06-01
      coursesHeld: 1,
      courseHours: 20,
      medianDaysToMatchable:
        (days(`${Y}-02-01`, `${Y}-03-10`) + days(`${Y}-01-05`, `${Y}-06-01`)) / 2,
    });
    expect(previousYear).toMatchObject({
      applications: 2, // B, D
      completedCourse: 2, // B, D
      becameMatchable: 0,
    });
  });
});
