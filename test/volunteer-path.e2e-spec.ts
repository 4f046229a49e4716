import request from 'supertest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from './app';
import { Factory } from './factories';
import { dateFromToday, instantFromToday } from './dates';

describe('the volunteer path', () => {
  let t: TestApp;
  let factory: Factory;
  let coordinator: { token: string };
  let branchCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  const asCoordinator = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });

  it('should take an applicant to "only the course missing"', async () => {
    const applicant = await factory.apply({ branchCode, firstName: 'Sofie', locale: 'en' });
    expect(applicant.mail.subject).toBe('Thank you for applying as a family friend, Sofie');
    expect(applicant.mail.html).toContain(`href="http://klar.test/v/${applicant.portalToken}"`);

    const detail = await asCoordinator(
      request(t.http).get(`/api/v1/volunteers/${applicant.id}`),
    ).expect(200);
    expect(detail.body).toMatchObject({
      stage: 'applied',
      matchable: false,
      branchCode,
      email: applicant.email,
    });
    expect(detail.body.readiness.requirements.map((r: { met: boolean }) => r.met)).toEqual([
      false,
      false,
      false,
    ]);

    const scheduledAt = instantFromToday(100);
    const visit = await asCoordinator(
      request(t.http).post(`/api/v1/volunteers/${applicant.id}/home-visits`).send({ scheduledAt }),
    ).expect(201);
    expect(visit.body).toMatchObject({ scheduledAt, outcome: null });
    await expectStage(applicant.id, 'visit_scheduled');

    const outcome = await asCoordinator(
      request(t.http)
        .post(`/api/v1/home-visits/${visit.body.id}/outcome`)
        .send({ outcome: 'approved', notes: 'Forstår rammerne og tavshedspligten.' }),
    ).expect(200);
    expect(outcome.body).toMatchObject({ id: visit.body.id, outcome: 'approved' });
    await expectStage(applicant.id, 'approved');

    const receivedOn = DateTime.now().setZone('Europe/Copenhagen').minus({ days: 3 }).toISODate()!;
    const certificate = await asCoordinator(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/attestations`)
        .send({ requestedOn: dateFromToday(-30), receivedOn, result: 'clean' }),
    ).expect(201);
    const validUntil = DateTime.fromISO(receivedOn)
      .plus({ months: 24 })
      .minus({ days: 1 })
      .toISODate();
    expect(certificate.body).toMatchObject({ receivedOn, result: 'clean', validUntil });

    const ready = await asCoordinator(
      request(t.http).get(`/api/v1/volunteers/${applicant.id}`),
    ).expect(200);
    expect(ready.body.readiness).toEqual({
      matchable: false,
      matchableSince: null,
      requirements: [
        { key: 'home_visit', met: true, detail: { state: 'approved', nextVisitAt: null } },
        { key: 'attestation', met: true, detail: { state: 'valid', receivedOn, validUntil } },
        {
          key: 'course',
          met: false,
          detail: {
            hoursAttended: 0,
            hoursRequired: 20,
            missingTopics: ['frameworks', 'boundaries', 'uncrc', 'child_safety'],
          },
        },
      ],
    });

    const me = await request(t.http)
      .get('/api/v1/me')
      .auth(applicant.portalToken, { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({ id: applicant.id, firstName: 'Sofie', stage: 'approved' });
    expect(me.body.readiness.requirements).toEqual(ready.body.readiness.requirements);

    const page = await request(t.http).get(`/v/${applicant.portalToken}`).expect(200);
    expect(page.text).toContain('Hej Sofie');
    expect(page.text).toContain('<progress id="path-progress" max="5" value="3">');
  });

  it('should write every coordinator decision to the audit log in the same transaction', async () => {
    const applicant = await factory.apply({ branchCode });
    const visit = await asCoordinator(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/home-visits`)
        .send({ scheduledAt: instantFromToday(45, 11) }),
    ).expect(201);
    await asCoordinator(
      request(t.http)
        .post(`/api/v1/home-visits/${visit.body.id}/outcome`)
        .send({ outcome: 'declined' }),
    ).expect(200);

    const events: { action: string; actor_id: string | null }[] = await t.db.query(
      'SELECT action, actor_id FROM audit_event WHERE volunteer_id = $1 ORDER BY id',
      [applicant.id],
    );
    expect(events.map((e) => e.action)).toEqual([
      'application.received',
      'home_visit.scheduled',
      'home_visit.declined',
    ]);
    expect(events[0].actor_id).toBeNull();
    expect(events[1].actor_id).toEqual(expect.any(String));
    await expectStage(applicant.id, 'declined');

    await expect(t.db.query('UPDATE audit_event SET action = $1', ['tampered'])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
  });

  it('should refuse decisions on a closed application with 409', async () => {
    const applicant = await factory.apply({ branchCode });
    await asCoordinator(request(t.http).post(`/api/v1/volunteers/${applicant.id}/withdraw`)).expect(
      200,
    );
    await expectStage(applicant.id, 'withdrawn');
    await asCoordinator(request(t.http).post(`/api/v1/volunteers/${applicant.id}/withdraw`)).expect(
      409,
    );
    await asCoordinator(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/home-visits`)
        .send({ scheduledAt: instantFromToday(45, 11) }),
    ).expect(409);
    await asCoordinator(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/attestations`)
        .send({ receivedOn: dateFromToday(-30), result: 'clean' }),
    ).expect(409);
  });

  it('should refuse a second outcome for one visit and a second pending visit', async () => {
    const applicant = await factory.apply({ branchCode });
    const schedule = () =>
      asCoordinator(
        request(t.http)
          .post(`/api/v1/volunteers/${applicant.id}/home-visits`)
          .send({ scheduledAt: instantFromToday(60, 9, 30) }),
      );
    const visit = await schedule().expect(201);
    const pending = await schedule().expect(409);
    expect(pending.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message:
        'Der er allerede aftalt et besøg; registrér dets udfald først. / A visit is already scheduled; record its outcome first.',
    });
    const record = (outcome: string) =>
      asCoordinator(
        request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`).send({ outcome }),
      );
    await record('follow_up').expect(200);
    await record('approved').expect(409);
    const second = await schedule().expect(201);
    await asCoordinator(
      request(t.http)
        .post(`/api/v1/home-visits/${second.body.id}/outcome`)
        .send({ outcome: 'approved' }),
    ).expect(200);
    await expectStage(applicant.id, 'approved');
  });

  it('should show a certificate with entries as blocking, without closing the application', async () => {
    const applicant = await factory.apply({ branchCode });
    await asCoordinator(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/attestations`)
        .send({ receivedOn: dateFromToday(-30), result: 'has_entries' }),
    ).expect(201);
    const detail = await asCoordinator(
      request(t.http).get(`/api/v1/volunteers/${applicant.id}`),
    ).expect(200);
    expect(detail.body.stage).toBe('applied');
    expect(detail.body.readiness.requirements[1]).toMatchObject({
      met: false,
      detail: { state: 'has_entries' },
    });
  });

  async function expectStage(id: string, stage: string) {
    const res = await asCoordinator(request(t.http).get(`/api/v1/volunteers/${id}`)).expect(200);
    expect(res.body.stage).toBe(stage);
    const list = await asCoordinator(
      request(t.http).get('/api/v1/volunteers').query({ stage }),
    ).expect(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(id);
  }
});
