import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { instantFromToday } from './dates';
import { createCourse, Factory, fullCourseSessions } from './factories';
import { COORDINATOR_PASSWORD } from './factories';
import { signedInAgent } from './pages';
import { staffRequests } from './staff-requests';
import { WITHDRAWN_STAGES, type YearFigures } from '../src/reports/year-figures.repository';

/**
 * THE figures test: a known year of records in two branches, the year before and a
 * withdrawal in the year after, built through the API and moved back in time with SQL
 * (the API rightly refuses most past dates); every figure is checked, per branch and
 * nationally, this year and the year before, and the CSV holds the same numbers.
 */
const Y = new Date().getUTCFullYear() - 2;
const P = Y - 1;
const N = Y + 1;
const at = (day: string) => `${day}T10:00:00Z`;
const days = (from: string, to: string) =>
  (Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) -
    Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) /
  86_400_000;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The figures as the API gives them (the repository's own type). */
type Figures = YearFigures;

const none: Figures = {
  applications: 0,
  homeVisits: 0,
  approved: 0,
  declined: 0,
  attestations: 0,
  coursesHeld: 0,
  courseHours: 0,
  completedCourse: 0,
  becameMatchable: 0,
  withdrawn: 0,
  withdrawnByStage: { applied: 0, visit_scheduled: 0, approved: 0, matchable: 0 },
  medianDaysToMatchable: null,
};

describe("the year's figures (Årsopgørelse)", () => {
  let t: TestApp;
  let factory: Factory;
  let branchA: string;
  let branchB: string;
  let coordA: { email: string; token: string };
  let coordB: { email: string; token: string };
  let admin: string;
  let token = '';
  /** V1 and V7, for the extra requirement recorded last. */
  const ids: { v1?: string; v7?: string } = {};
  const { staff, book } = staffRequests(() => ({ t, token }));

  const sql = (text: string, params: unknown[]) => t.db.query(text, params);

  const applied = async (branchCode: string, day: string, lastName: string) => {
    const v = await factory.apply({ branchCode, lastName });
    await sql('UPDATE volunteer SET created_at = $2 WHERE id = $1', [v.id, at(day)]);
    return v;
  };
  const visit = async (volunteerId: string, outcome: string | null, day: string) => {
    const res = await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/home-visits`))
      .send({ scheduledAt: instantFromToday(10) })
      .expect(201);
    const id = res.body.id as string;
    if (outcome) {
      await staff(request(t.http).post(`/api/v1/home-visits/${id}/outcome`))
        .send({ outcome, notes: 'Notat' })
        .expect(200);
    }
    await sql(
      `UPDATE home_visit SET created_at = $2::timestamptz - interval '5 days', scheduled_at = $2,
              held_at = CASE WHEN outcome IS NULL THEN NULL ELSE $2::timestamptz END,
              outcome_at = CASE WHEN outcome IS NULL THEN NULL ELSE $2::timestamptz END
        WHERE id = $1`,
      [id, at(day)],
    );
    if (outcome === 'declined') {
      await sql('UPDATE volunteer SET closed_at = $2 WHERE id = $1', [volunteerId, at(day)]);
    }
  };
  const attestation = async (volunteerId: string, result: string, day: string) => {
    const res = await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/attestations`))
      .send({ receivedOn: instantFromToday(-1).slice(0, 10), result })
      .expect(201);
    await sql('UPDATE attestation SET received_on = $2 WHERE id = $1', [res.body.id, day]);
  };
  /** A 20-hour course of four 5-hour sessions on four days from `firstDay`. */
  const course = async (branchCode: string, firstDay: string) => {
    const c = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-30) });
    for (const [i, s] of c.sessions.entries()) {
      const start = new Date(`${firstDay}T10:00:00Z`);
      start.setUTCDate(start.getUTCDate() + i);
      await sql(
        `UPDATE course_session SET starts_at = $2, ends_at = $2::timestamptz + interval '5 hours' WHERE id = $1`,
        [s.id, start.toISOString()],
      );
    }
    return c;
  };
  const attend = async (
    c: { id: string; sessions: { id: string }[] },
    volunteerId: string,
    count = 4,
  ) => {
    await book(c.id, volunteerId).expect(201);
    for (const s of c.sessions.slice(0, count)) {
      await staff(request(t.http).put(`/api/v1/sessions/${s.id}/attendance`))
        .send({ records: [{ volunteerId, present: true }] })
        .expect(200);
    }
  };
  const withdraw = async (volunteerId: string, day: string) => {
    await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/withdraw`))
      .send({})
      .expect(200);
    await sql('UPDATE volunteer SET closed_at = $2 WHERE id = $1', [volunteerId, at(day)]);
  };
  const evaluate = async (portalToken: string, courseId: string, score: number) => {
    await request(t.http)
      .post('/api/v1/me/evaluations')
      .auth(portalToken, { type: 'bearer' })
      .send({
        courseId,
        answers: {
          readyForVisits: score,
          knowsBoundaries: score,
          knowsChildSafety: score,
          goodTeaching: 5,
        },
      })
      .expect(201);
  };

  const report = async (asToken: string, query: Record<string, string>, status = 200) =>
    (
      await request(t.http)
        .get('/api/v1/reports/year')
        .query(query)
        .auth(asToken, { type: 'bearer' })
        .expect(status)
    ).body as {
      year: number;
      branchCode: string | null;
      figures: Figures;
      previousYear: Figures;
      evaluation: { responses: number; statements: { key: string; average: number | null }[] };
    };

  // Those who became matchable in Y in branch A, with their application and matchable days.
  const readyDays = [
    days(`${Y}-02-01`, `${Y}-04-04`), // V1
    days(`${Y}-05-01`, `${Y}-09-04`), // V2
    days(`${P}-11-01`, `${Y}-04-04`), // V7
  ];

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    admin = await factory.admin();
    branchA = await factory.branch();
    branchB = await factory.branch();
    coordA = await factory.coordinator(branchA);
    coordB = await factory.coordinator(branchB);

    // Branch A.
    token = coordA.token;
    const course1 = await course(branchA, `${Y}-04-01`);
    const course2 = await course(branchA, `${Y}-09-01`);
    // V1: the whole path in Y.
    const v1 = await applied(branchA, `${Y}-02-01`, 'Et');
    await visit(v1.id, 'approved', `${Y}-03-01`);
    await attestation(v1.id, 'clean', `${Y}-03-10`);
    await attend(course1, v1.id);
    ids.v1 = v1.id;
    // V2: the whole path in Y, then withdraws in the year after, matchable.
    const v2 = await applied(branchA, `${Y}-05-01`, 'To');
    await visit(v2.id, 'approved', `${Y}-05-20`);
    await attestation(v2.id, 'clean', `${Y}-06-01`);
    await attend(course2, v2.id);
    // V3: declined at the visit.
    const v3 = await applied(branchA, `${Y}-06-01`, 'Tre');
    await visit(v3.id, 'declined', `${Y}-06-20`);
    // V4: withdraws with a visit scheduled.
    const v4 = await applied(branchA, `${Y}-07-01`, 'Fire');
    await visit(v4.id, null, `${Y}-07-20`);
    await withdraw(v4.id, `${Y}-08-01`);
    // V5: withdraws right after applying.
    const v5 = await applied(branchA, `${Y}-08-01`, 'Fem');
    await withdraw(v5.id, `${Y}-08-15`);
    // V6: approved with a certificate, half the course, then withdraws.
    const v6 = await applied(branchA, `${Y}-01-10`, 'Seks');
    await visit(v6.id, 'approved', `${Y}-02-01`);
    await attestation(v6.id, 'clean', `${Y}-02-10`);
    await attend(course1, v6.id, 2);
    // V7: applied and approved the year before, certificate and course in Y.
    const v7 = await applied(branchA, `${P}-11-01`, 'Syv');
    await visit(v7.id, 'approved', `${P}-12-01`);
    await attestation(v7.id, 'clean', `${Y}-01-05`);
    await attend(course1, v7.id);
    ids.v7 = v7.id;
    // V8: applied and withdrew the year before.
    const v8 = await applied(branchA, `${P}-03-01`, 'Otte');
    await withdraw(v8.id, `${P}-04-01`);
    // The evaluations of Y's courses: three answers in branch A, so averages show.
    await evaluate(v1.portalToken, course1.id, 4);
    await evaluate(v6.portalToken, course1.id, 3);
    await evaluate(v2.portalToken, course2.id, 2);
    // Withdrawals after the courses, so the withdrawal does not cancel what they attended.
    await withdraw(v6.id, `${Y}-10-01`);
    await withdraw(v2.id, `${N}-03-01`);

    // Branch B.
    token = coordB.token;
    await course(branchB, `${Y}-10-01`); // held, nobody attended
    const v9 = await applied(branchB, `${Y}-03-01`, 'Ni');
    await visit(v9.id, 'approved', `${Y}-03-15`);
    await attestation(v9.id, 'has_entries', `${Y}-03-20`);
    await applied(branchB, `${P}-06-01`, 'Ti');
  });

  afterAll(async () => {
    await t.close();
  });

  const branchAThisYear: Figures = {
    applications: 6,
    homeVisits: 4,
    approved: 3,
    declined: 1,
    attestations: 4,
    coursesHeld: 2,
    courseHours: 40,
    completedCourse: 3,
    becameMatchable: 3,
    withdrawn: 3,
    withdrawnByStage: { applied: 1, visit_scheduled: 1, approved: 1, matchable: 0 },
    medianDaysToMatchable: median(readyDays),
  };
  const branchAYearBefore: Figures = {
    ...none,
    applications: 2,
    homeVisits: 1,
    approved: 1,
    withdrawn: 1,
    withdrawnByStage: { ...none.withdrawnByStage, applied: 1 },
  };
  const branchBThisYear: Figures = {
    ...none,
    applications: 1,
    homeVisits: 1,
    approved: 1,
    coursesHeld: 1,
    courseHours: 20,
  };
  const branchBYearBefore: Figures = { ...none, applications: 1 };

  it("should count every figure of a coordinator's branch, and the year before", async () => {
    const body = await report(coordA.token, { year: String(Y) });
    expect(body.year).toBe(Y);
    expect(body.branchCode).toBe(branchA);
    expect(body.figures).toEqual(branchAThisYear);
    expect(body.previousYear).toEqual(branchAYearBefore);
    expect(body.evaluation.responses).toBe(3);
    expect(body.evaluation.statements.map((s) => [s.key, s.average])).toEqual([
      ['readyForVisits', 3],
      ['knowsBoundaries', 3],
      ['knowsChildSafety', 3],
      ['goodTeaching', 5],
    ]);
  });

  it('should count the other branch apart, its evaluation hidden below 3 answers', async () => {
    const body = await report(coordB.token, { year: String(Y), branch: branchB });
    expect(body.figures).toEqual(branchBThisYear);
    expect(body.previousYear).toEqual(branchBYearBefore);
    expect(body.evaluation.responses).toBe(0);
    expect(body.evaluation.statements.every((s) => s.average === null)).toBe(true);
  });

  it('should give an admin the national totals and any branch', async () => {
    const all = await report(admin, { year: String(Y) });
    expect(all.branchCode).toBeNull();
    const sum = (a: Figures, b: Figures): Figures =>
      ({
        ...Object.fromEntries(
          Object.keys(a).map((k) => [k, ((a as never)[k] as number) + ((b as never)[k] as number)]),
        ),
        withdrawnByStage: Object.fromEntries(
          WITHDRAWN_STAGES.map((k) => [k, a.withdrawnByStage[k] + b.withdrawnByStage[k]]),
        ),
        medianDaysToMatchable: a.medianDaysToMatchable ?? b.medianDaysToMatchable,
      }) as Figures;
    expect(all.figures).toEqual(sum(branchAThisYear, branchBThisYear));
    expect(all.previousYear).toEqual(sum(branchAYearBefore, branchBYearBefore));
    expect(all.evaluation.responses).toBe(3);
    expect((await report(admin, { year: String(Y), branch: branchB })).figures).toEqual(
      branchBThisYear,
    );
  });

  it('should count the withdrawal in the year it happened, at the step reached then', async () => {
    const next = await report(coordA.token, { year: String(N) });
    expect(next.figures.withdrawn).toBe(1);
    expect(next.figures.withdrawnByStage).toEqual({
      applied: 0,
      visit_scheduled: 0,
      approved: 0,
      matchable: 1,
    });
    expect(next.previousYear).toEqual(branchAThisYear);
  });

  it('should hide another branch from a coordinator and refuse a year that has not come', async () => {
    const hidden = await report(coordA.token, { year: String(Y), branch: branchB }, 404);
    expect(JSON.stringify(hidden)).not.toContain(branchB);
    await report(admin, { year: String(Y), branch: 'no-such-branch' }, 404);
    const future = await report(admin, { year: String(new Date().getUTCFullYear() + 1) }, 400);
    expect(JSON.stringify(future)).toContain('year');
  });

  it('should write the same numbers to the CSV', async () => {
    const res = await request(t.http)
      .get('/api/v1/reports/year')
      .query({ year: String(Y), format: 'csv' })
      .auth(coordA.token, { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="aarsopgoerelse-${Y}-${branchA}.csv"`,
    );
    const body = res.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows: string[][] = parse(body.subarray(3).toString('utf8'), { delimiter: ';' });
    expect(rows[0]).toEqual(['Nøgletal', String(Y), String(P), 'Forskel']);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r.slice(1)]));
    const danish = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
    const expected: [string, number | null, number | null][] = [
      ['Nye ansøgninger', 6, 2],
      ['Hjemmebesøg holdt', 4, 1],
      ['Godkendt ved besøg', 3, 1],
      ['Afslået ved besøg', 1, 0],
      ['Børneattester modtaget (uden anmærkninger)', 4, 0],
      ['Kurser holdt', 2, 0],
      ['Kursustimer afholdt', 40, 0],
      ['Gennemførte kurset', 3, 0],
      ['Blev klar til match', 3, 0],
      ['Trak sig', 3, 1],
      ['Trak sig efter ansøgning', 1, 1],
      ['Trak sig med besøg aftalt', 1, 0],
      ['Trak sig som godkendt', 1, 0],
      ['Trak sig som klar til match', 0, 0],
      ['Median dage fra ansøgning til klar til match', median(readyDays), null],
    ];
    for (const [name, now, before] of expected) {
      const diff = now === null || before === null ? null : now - before;
      expect({ name, cells: byName.get(name) }).toEqual({
        name,
        cells: [danish(now), danish(before), danish(diff)],
      });
    }
    expect(byName.get('Kursusevaluering: antal svar')?.[0]).toBe('3');
  });

  it('should show the figures on the page with the difference, bars, step medians and files', async () => {
    const agent = await signedInAgent(t, coordA.email, COORDINATOR_PASSWORD);
    const page = await agent.get(`/staff/reports/year?year=${Y}`).expect(200);
    const html = page.text.replace(/\s+/g, ' ');
    expect(html).toContain(`Årsopgørelse ${Y}`);
    // New applications: 6 this year, 2 the year before, +4.
    expect(html).toMatch(/Nye ansøgninger<\/th><td[^>]*>6<\/td><td[^>]*>2<\/td><td[^>]*>\+4<\/td>/);
    expect(html).toMatch(/<svg class="bar-chart"[^>]*role="img"/);
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(18);
    // The median days to approval at the visit, V1, V2 and V7.
    const approvedDays = median([
      days(`${Y}-02-01`, `${Y}-03-01`),
      days(`${Y}-05-01`, `${Y}-05-20`),
      days(`${P}-11-01`, `${P}-12-01`),
    ]);
    expect(html).toMatch(
      new RegExp(`til godkendt ved hjemmebesøg</th><td[^>]*>${approvedDays}</td>`),
    );
    expect(html).toContain(
      `/staff/reports/year/file?year&#x3D;${Y}&amp;branch&#x3D;${branchA}&amp;format&#x3D;xlsx`,
    );
    const file = await agent
      .get(`/staff/reports/year/file?year=${Y}&format=xlsx`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(file.headers['content-disposition']).toContain('.xlsx');
    expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });

  // Last: a requirement is for every branch and changes the figures above.
  it('should count an extra requirement: never matchable without it, matchable on the day it was met', async () => {
    await request(t.http)
      .post('/api/v1/requirements')
      .auth(admin, { type: 'bearer' })
      .send({ key: 'confidentiality', nameDa: 'Tavshedserklæring', nameEn: 'Confidentiality' })
      .expect(201);
    // Defined before the year: it counts for Y and N.
    await sql(`UPDATE requirement SET created_at = $1 WHERE key = 'confidentiality'`, [
      at(`${P}-12-01`),
    ]);
    // Nobody has it: nobody became matchable in Y, and V2 withdrew in N as approved.
    const without = await report(coordA.token, { year: String(Y) });
    expect(without.figures).toEqual({
      ...branchAThisYear,
      becameMatchable: 0,
      medianDaysToMatchable: null,
    });
    expect((await report(coordA.token, { year: String(N) })).figures.withdrawnByStage).toEqual({
      applied: 0,
      visit_scheduled: 0,
      approved: 1,
      matchable: 0,
    });

    // V1 met it on 1 June, after the course; V7 on 1 March, before its course (4 April).
    token = coordA.token;
    const record = async (volunteerId: string, day: string) => {
      await staff(
        request(t.http).post(`/api/v1/volunteers/${volunteerId}/requirements/confidentiality`),
      )
        .send({ metOn: instantFromToday(-1).slice(0, 10) })
        .expect(201);
      await sql(
        `UPDATE volunteer_requirement_record SET met_on = $2
          WHERE volunteer_id = $1 AND requirement_key = 'confidentiality'`,
        [volunteerId, day],
      );
    };
    await record(ids.v1!, `${Y}-06-01`);
    await record(ids.v7!, `${Y}-03-01`);
    const withIt = await report(coordA.token, { year: String(Y) });
    expect(withIt.figures).toEqual({
      ...branchAThisYear,
      becameMatchable: 2,
      medianDaysToMatchable: median([
        days(`${Y}-02-01`, `${Y}-06-01`), // V1: on the day it was met
        days(`${P}-11-01`, `${Y}-04-04`), // V7: on the day of its course, as before
      ]),
    });

    // A requirement defined after the year, met by nobody, leaves the year as it was.
    await request(t.http)
      .post('/api/v1/requirements')
      .auth(admin, { type: 'bearer' })
      .send({ key: 'later_one', nameDa: 'Senere', nameEn: 'Later' })
      .expect(201);
    expect((await report(coordA.token, { year: String(Y) })).figures).toEqual(withIt.figures);
  });
});
