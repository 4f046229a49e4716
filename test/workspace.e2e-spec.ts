import { DateTime } from 'luxon';
import request from 'supertest';
import { WorkspaceRepository } from '../src/workspace/workspace.repository';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { signedInAgent } from './pages';

describe(WorkspaceRepository.name, () => {
  let t: TestApp;
  let sut: WorkspaceRepository;

  beforeAll(async () => {
    t = await createTestApp();
    sut = t.app.get(WorkspaceRepository);
  });

  afterAll(async () => {
    await t.close();
  });

  it("should count the branch's pipeline and list what needs attention, and nothing of another branch", async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const as = (path: string, body: object) =>
      request(t.http).post(path).auth(token, { type: 'bearer' }).send(body);
    const today = DateTime.now().setZone('Europe/Copenhagen');

    const waiting = await factory.apply({ branchCode, firstName: 'Waiting' });
    await t.db.query(`UPDATE volunteer SET created_at = now() - interval '10 days' WHERE id = $1`, [
      waiting.id,
    ]);
    const approved = await factory.apply({ branchCode, firstName: 'Approved' });
    const visit = await as(`/api/v1/volunteers/${approved.id}/home-visits`, {
      scheduledAt: today.minus({ days: 1 }).toISO(),
    }).expect(201);
    await as(`/api/v1/home-visits/${visit.body.id}/outcome`, { outcome: 'approved' }).expect(200);
    // Valid for 24 months from receipt: this one runs out in about a month.
    const receivedOn = today.minus({ months: 23 }).toISODate()!;
    await as(`/api/v1/volunteers/${approved.id}/attestations`, {
      receivedOn,
      result: 'clean',
    }).expect(201);
    const entries = await factory.apply({ branchCode, firstName: 'Entries' });
    await as(`/api/v1/volunteers/${entries.id}/attestations`, {
      receivedOn: today.toISODate(),
      result: 'has_entries',
    }).expect(201);
    const planned = await factory.apply({ branchCode, firstName: 'Planned' });
    await as(`/api/v1/volunteers/${planned.id}/home-visits`, {
      scheduledAt: today.plus({ days: 3 }).toISO(),
    }).expect(201);
    const soon = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(10) });
    const later = await createCourse(t, token, {
      branchCode,
      sessions: fullCourseSessions(45),
    });

    const otherBranch = await factory.branch();
    await factory.apply({ branchCode: otherBranch });
    const [{ id: branchId }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM branch WHERE code = $1',
      [branchCode],
    );

    await expect(sut.funnel(branchId)).resolves.toEqual({
      applied: 4,
      visitScheduled: 2,
      approved: 1,
      certificateValid: 1,
      courseCompleted: 0,
      matchable: 0,
    });
    const attention = await sut.attention(branchId);
    // Not contacted yet, whoever waited longest first; a planned visit counts as contact.
    expect(attention.newApplications.map((p) => p.firstName)).toEqual(['Waiting', 'Entries']);
    expect(attention.visitsThisWeek.map((p) => p.firstName)).toEqual(['Planned']);
    expect(attention.certificatesExpiring).toEqual([
      expect.objectContaining({
        firstName: 'Approved',
        day: DateTime.fromISO(receivedOn).plus({ months: 24 }).minus({ days: 1 }).toISODate(),
      }),
    ]);
    expect(attention.certificatesWithEntries.map((p) => p.firstName)).toEqual(['Entries']);
    expect(attention.coursesWithSeats).toEqual([
      expect.objectContaining({ id: soon.id, seatsLeft: 12 }),
      // Every coming course with a free seat, soonest first: planning looks further than a month.
      expect.objectContaining({ id: later.id, seatsLeft: 12 }),
    ]);
  });

  it('should count a course completed only with the hours and every mandatory topic', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const course = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-8) });
    const full = await factory.apply({ branchCode });
    const partial = await factory.apply({ branchCode });
    for (const v of [full, partial]) {
      await request(t.http)
        .post(`/api/v1/courses/${course.id}/bookings`)
        .auth(token, { type: 'bearer' })
        .send({ volunteerId: v.id })
        .expect(201);
    }
    for (const [i, session] of course.sessions.entries()) {
      await request(t.http)
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .auth(token, { type: 'bearer' })
        .send({
          records: [
            { volunteerId: full.id, present: true },
            { volunteerId: partial.id, present: i < 3 },
          ],
        })
        .expect(200);
    }
    const [{ id: branchId }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM branch WHERE code = $1',
      [branchCode],
    );
    const funnel = await sut.funnel(branchId);
    expect(funnel.courseCompleted).toBe(1);
  });
});

describe('the dashboard: waiting longest', () => {
  let t: TestApp;
  let sut: WorkspaceRepository;

  beforeAll(async () => {
    t = await createTestApp();
    sut = t.app.get(WorkspaceRepository);
  });

  afterAll(async () => {
    await t.close();
  });

  const backdate = (table: 'volunteer' | 'home_visit', column: string, id: string, days: number) =>
    t.db.query(`UPDATE ${table} SET ${column} = now() - make_interval(days => $2) WHERE id = $1`, [
      id,
      days,
    ]);

  it('should list who has been longest at each stage before matchable, with the days, linked to the record', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const as = (path: string, body: object) =>
      request(t.http).post(path).auth(coordinator.token, { type: 'bearer' }).send(body);
    const today = DateTime.now().setZone('Europe/Copenhagen');
    const [{ id: branchId }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM branch WHERE code = $1',
      [branchCode],
    );
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const dashboardQueries = async () => {
      const probe = t.queryLog.probe();
      await agent.get('/staff').set(probe.headers).expect(200);
      return probe.queries().length;
    };
    const queriesWhenEmpty = await dashboardQueries();

    const newest = await factory.apply({ branchCode, firstName: 'Newest', lastName: 'Applied' });
    const oldest = await factory.apply({ branchCode, firstName: 'Oldest', lastName: 'Applied' });
    await backdate('volunteer', 'created_at', oldest.id, 10);
    const middle = await factory.apply({ branchCode, firstName: 'Middle', lastName: 'Applied' });
    await backdate('volunteer', 'created_at', middle.id, 3);
    // At the visit stage the wait counts from the first visit planned, not the application.
    const visitSoon = await factory.apply({ branchCode, firstName: 'Planned', lastName: 'Lately' });
    await backdate('volunteer', 'created_at', visitSoon.id, 30);
    const recent = await as(`/api/v1/volunteers/${visitSoon.id}/home-visits`, {
      scheduledAt: today.plus({ days: 2 }).toISO(),
    }).expect(201);
    await backdate('home_visit', 'created_at', recent.body.id as string, 2);
    const visitLong = await factory.apply({ branchCode, firstName: 'Planned', lastName: 'Long' });
    const long = await as(`/api/v1/volunteers/${visitLong.id}/home-visits`, {
      scheduledAt: today.plus({ days: 1 }).toISO(),
    }).expect(201);
    await backdate('home_visit', 'created_at', long.body.id as string, 6);
    // Approved from the time the approving visit was held.
    const approved = await factory.apply({
      branchCode,
      firstName: 'Approved',
      lastName: 'Waiting',
    });
    const held = await as(`/api/v1/volunteers/${approved.id}/home-visits`, {
      scheduledAt: today.minus({ days: 4 }).toISO(),
    }).expect(201);
    await as(`/api/v1/home-visits/${held.body.id}/outcome`, { outcome: 'approved' }).expect(200);
    const otherBranch = await factory.branch();
    await factory.apply({ branchCode: otherBranch, firstName: 'Elsewhere' });

    const waiting = await sut.waitingLongest(branchId);
    expect(waiting.map((p) => [p.stage, p.firstName, p.lastName, p.days])).toEqual([
      ['applied', 'Oldest', 'Applied', 10],
      ['applied', 'Middle', 'Applied', 3],
      ['applied', 'Newest', 'Applied', 0],
      ['visit_scheduled', 'Planned', 'Long', 6],
      ['visit_scheduled', 'Planned', 'Lately', 2],
      ['approved', 'Approved', 'Waiting', 4],
    ]);
    // Only the few longest of each stage.
    expect((await sut.waitingLongest(branchId, 2)).map((p) => p.firstName)).toEqual([
      'Oldest',
      'Middle',
      'Planned',
      'Planned',
      'Approved',
    ]);

    const page = await agent.get('/staff').expect(200);
    // What needs doing first is at the top: the new applications before the figures.
    const newApplications = page.text.indexOf('Nye ansøgninger, ikke kontaktet');
    expect(newApplications).toBeGreaterThan(-1);
    expect(newApplications).toBeLessThan(page.text.indexOf('Vejen til klar til match'));
    const section = page.text.slice(page.text.indexOf('Længst ventende'));
    const linkTo = (id: string, name: string, days: string) =>
      section.indexOf(
        `<a href="/staff/volunteers/${id}">${name}</a> <span class="muted">${days}</span>`,
      );
    const places = [
      linkTo(oldest.id, 'Oldest Applied', '10 dage'),
      linkTo(middle.id, 'Middle Applied', '3 dage'),
      linkTo(newest.id, 'Newest Applied', '0 dage'),
      linkTo(visitLong.id, 'Planned Long', '6 dage'),
      linkTo(visitSoon.id, 'Planned Lately', '2 dage'),
      linkTo(approved.id, 'Approved Waiting', '4 dage'),
    ];
    expect(places.every((place) => place >= 0)).toBe(true);
    expect([...places].sort((a, b) => a - b)).toEqual(places);
    expect(section).not.toContain('Elsewhere');
    // One query for the whole list, however many are waiting.
    expect(await dashboardQueries()).toBe(queriesWhenEmpty);
  });
});
