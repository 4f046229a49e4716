import { DateTime } from 'luxon';
import request from 'supertest';
import { WorkspaceRepository } from '../src/workspace/workspace.repository';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions } from './factories';

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
    await createCourse(t, token, { branchCode, sessions: fullCourseSessions(45) });

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
