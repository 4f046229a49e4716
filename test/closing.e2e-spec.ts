import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { csrfIn, signedInAgent } from './pages';

/** Moving and cancelling a home visit; withdrawing, declining and reactivating an application. */
describe('closing a record, and home-visit changes', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  let otherCoordinator: { email: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    otherCoordinator = await factory.coordinator(await factory.branch());
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (path: string) => request(t.http).get(path).auth(token, { type: 'bearer' }),
    patch: (path: string, body: object) =>
      request(t.http).patch(path).auth(token, { type: 'bearer' }).send(body),
    post: (path: string, body: object = {}) =>
      request(t.http).post(path).auth(token, { type: 'bearer' }).send(body),
  });
  const staff = () => as(coordinator.token);
  const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();

  const stageOf = async (id: string) => {
    const [row] = await t.db.query<{ stage: string; status: string }[]>(
      'SELECT stage, status FROM volunteer WHERE id = $1',
      [id],
    );
    return row;
  };
  const auditActions = async (id: string) =>
    (
      await t.db.query<{ action: string; details: Record<string, unknown> }[]>(
        'SELECT action, details FROM audit_event WHERE volunteer_id = $1 ORDER BY occurred_at, id',
        [id],
      )
    ).map((r) => r);
  /** The next mail to `email` after `seen` messages, by subject. */
  const nextMail = (email: string, subject: RegExp, seen: number): Promise<ParsedMail> =>
    t.mail.waitFor(
      email,
      (m) => t.mail.messages.indexOf(m) >= seen && subject.test(m.subject ?? ''),
    );
  const calendarOf = (mail: ParsedMail) =>
    mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString() ??
    '';

  async function withVisit(overrides: Record<string, unknown> = {}) {
    const person = await factory.apply({ branchCode, ...overrides });
    const res = await staff()
      .post(`/api/v1/volunteers/${person.id}/home-visits`, { scheduledAt: inDays(3) })
      .expect(201);
    return { ...person, visitId: res.body.id as string };
  }

  describe('home visits', () => {
    it('should move a planned visit and mail the new time with a newer calendar entry', async () => {
      const { id, email, visitId } = await withVisit();
      const seen = t.mail.messages.length;
      const newTime = '2031-05-06T15:30:00+02:00';

      const res = await staff().patch(`/api/v1/home-visits/${visitId}`, { scheduledAt: newTime });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: visitId, scheduledAt: newTime, outcome: null });
      expect(await stageOf(id)).toEqual({ stage: 'visit_scheduled', status: 'active' });

      const mail = await nextMail(email, /flyttet/, seen);
      expect(mail.subject).toContain('6. maj 2031');
      expect(mail.text).toContain('Det nye tidspunkt er 6. maj 2031');
      const ics = calendarOf(mail);
      expect(ics).toContain(`UID:home-visit-${visitId}@klar`);
      expect(ics).toContain('SEQUENCE:1');
      expect(ics).toContain('DTSTART;TZID=Europe/Copenhagen:20310506T153000');

      const audits = await auditActions(id);
      expect(audits.find((a) => a.action === 'home_visit.rescheduled')?.details).toMatchObject({
        homeVisitId: visitId,
        scheduledAt: '2031-05-06T13:30:00.000Z',
      });
    });

    it('should mail a moved or cancelled visit in the volunteer language', async () => {
      const { email, visitId } = await withVisit({ locale: 'en' });
      let seen = t.mail.messages.length;
      await staff()
        .patch(`/api/v1/home-visits/${visitId}`, { scheduledAt: '2031-05-06T15:30:00+02:00' })
        .expect(200);
      const moved = await nextMail(email, /moved/, seen);
      expect(moved.text).toContain('The new time is');

      seen = t.mail.messages.length;
      await staff().post(`/api/v1/home-visits/${visitId}/cancel`).expect(200);
      const cancelled = await nextMail(email, /cancelled/, seen);
      expect(cancelled.text).toContain('Your home visit from');
      expect(calendarOf(cancelled)).toContain('METHOD:CANCEL');
      expect(calendarOf(cancelled)).toContain('STATUS:CANCELLED');
    });

    it('should cancel a planned visit: the stage goes back to applied and a new visit can be planned', async () => {
      const { id, email, visitId } = await withVisit();
      expect((await stageOf(id)).stage).toBe('visit_scheduled');
      const seen = t.mail.messages.length;

      const res = await staff().post(`/api/v1/home-visits/${visitId}/cancel`).expect(200);
      expect(res.body.cancelledAt).toEqual(expect.any(String));
      expect(await stageOf(id)).toEqual({ stage: 'applied', status: 'active' });
      const detail = await staff().get(`/api/v1/volunteers/${id}`).expect(200);
      expect(detail.body.stage).toBe('applied');
      expect(detail.body.readiness.requirements[0]).toMatchObject({
        key: 'home_visit',
        met: false,
      });

      const mail = await nextMail(email, /aflyst/, seen);
      expect(mail.text).toContain('er aflyst');
      expect(calendarOf(mail)).toContain('METHOD:CANCEL');

      const audit = (await auditActions(id)).find((a) => a.action === 'home_visit.cancelled');
      expect(audit?.details).toMatchObject({ homeVisitId: visitId, stage: 'applied' });

      // The cancelled visit no longer blocks a new one.
      await staff()
        .post(`/api/v1/volunteers/${id}/home-visits`, { scheduledAt: inDays(5) })
        .expect(201);
      expect((await stageOf(id)).stage).toBe('visit_scheduled');
    });

    it('should refuse with 409 to move, cancel or settle a visit that has an outcome or is cancelled', async () => {
      const settled = await withVisit();
      await staff()
        .post(`/api/v1/home-visits/${settled.visitId}/outcome`, { outcome: 'follow_up' })
        .expect(200);
      await staff()
        .patch(`/api/v1/home-visits/${settled.visitId}`, { scheduledAt: inDays(4) })
        .expect(409);
      await staff().post(`/api/v1/home-visits/${settled.visitId}/cancel`).expect(409);

      const cancelled = await withVisit();
      await staff().post(`/api/v1/home-visits/${cancelled.visitId}/cancel`).expect(200);
      await staff().post(`/api/v1/home-visits/${cancelled.visitId}/cancel`).expect(409);
      await staff()
        .patch(`/api/v1/home-visits/${cancelled.visitId}`, { scheduledAt: inDays(4) })
        .expect(409);
      const refused = await staff()
        .post(`/api/v1/home-visits/${cancelled.visitId}/outcome`, { outcome: 'approved' })
        .expect(409);
      expect(refused.body.message).toContain('aflyst');
      const rows = await t.db.query<{ id: string; outcome: string | null; sequence: number }[]>(
        'SELECT id, outcome, sequence FROM home_visit WHERE id = ANY($1) ORDER BY created_at',
        [[settled.visitId, cancelled.visitId]],
      );
      expect(rows).toEqual([
        { id: settled.visitId, outcome: 'follow_up', sequence: 0 },
        { id: cancelled.visitId, outcome: null, sequence: 1 },
      ]);
    });

    it('should answer 400 on scheduledAt for a time in the past or no time, and change nothing', async () => {
      const { visitId } = await withVisit();
      for (const scheduledAt of [inDays(-1), 'tomorrow', undefined]) {
        const res = await staff()
          .patch(`/api/v1/home-visits/${visitId}`, { scheduledAt })
          .expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'scheduledAt' })]);
      }
      const [row] = await t.db.query<{ sequence: number }[]>(
        'SELECT sequence FROM home_visit WHERE id = $1',
        [visitId],
      );
      expect(row.sequence).toBe(0);
    });

    it('should say at the top of the record why a form from an out-of-date page was refused', async () => {
      const { id, visitId } = await withVisit();
      const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
      const record = await agent.get(`/staff/volunteers/${id}`).expect(200);
      // Meanwhile someone else cancels the visit, and the reschedule form is no longer shown.
      await staff().post(`/api/v1/home-visits/${visitId}/cancel`).expect(200);
      const posted = await agent
        .post(`/staff/volunteers/${id}/home-visits/${visitId}/reschedule`)
        .type('form')
        .send({ _csrf: csrfIn(record.text), scheduledAt: '2031-05-06T15:30' })
        .expect(303);
      const page = await agent.get(posted.headers.location).expect(200);
      expect(page.text).toContain('Det blev ikke gemt');
      expect(page.text).toContain('Besøget er aflyst.');
      expect(page.text).not.toContain('The visit is cancelled');
    });

    it("should answer 404 on a page address that pairs one volunteer with another's visit", async () => {
      const first = await withVisit();
      const second = await factory.apply({ branchCode });
      const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
      const record = await agent.get(`/staff/volunteers/${second.id}`).expect(200);
      await agent
        .post(`/staff/volunteers/${second.id}/home-visits/${first.visitId}/cancel`)
        .type('form')
        .send({ _csrf: csrfIn(record.text) })
        .expect(404);
      const [visit] = await t.db.query<{ cancelled_at: Date | null }[]>(
        'SELECT cancelled_at FROM home_visit WHERE id = $1',
        [first.visitId],
      );
      expect(visit.cancelled_at).toBeNull();
    });

    it("should answer 404 for another branch's visit", async () => {
      const { visitId } = await withVisit();
      const other = as(otherCoordinator.token);
      await other.patch(`/api/v1/home-visits/${visitId}`, { scheduledAt: inDays(4) }).expect(404);
      const res = await other.post(`/api/v1/home-visits/${visitId}/cancel`).expect(404);
      expect(JSON.stringify(res.body)).not.toContain(visitId);
      const admin = as(await factory.admin());
      const cancelled = await admin.post(`/api/v1/home-visits/${visitId}/cancel`).expect(200);
      expect(cancelled.body.cancelledAt).toEqual(expect.any(String));
    });
  });

  describe('withdraw and reactivate', () => {
    it('should withdraw with a reason and note, cancel bookings, promote the waitlist and thank the person', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const leaver = await factory.apply({ branchCode });
      const waiting = await factory.apply({ branchCode });
      await staff()
        .post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: leaver.id })
        .expect(201);
      await staff()
        .post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: waiting.id })
        .expect(201);
      const seen = t.mail.messages.length;

      const res = await staff()
        .post(`/api/v1/volunteers/${leaver.id}/withdraw`, {
          reason: 'Flytter',
          note: 'Flytter til Aalborg i januar.',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        stage: 'withdrawn',
        closing: { status: 'withdrawn', reason: 'Flytter', note: 'Flytter til Aalborg i januar.' },
      });
      expect(res.body.closing.closedByName).toBe('Karen Koordinator');

      const [row] = await t.db.query<Record<string, unknown>[]>(
        'SELECT closed_reason, closed_note, closed_by IS NOT NULL AS by, closed_at IS NOT NULL AS at FROM volunteer WHERE id = $1',
        [leaver.id],
      );
      expect(row).toEqual({
        closed_reason: 'Flytter',
        closed_note: 'Flytter til Aalborg i januar.',
        by: true,
        at: true,
      });
      const bookings = await t.db.query<{ volunteer_id: string; status: string }[]>(
        'SELECT volunteer_id, status FROM booking WHERE course_id = $1 ORDER BY created_at',
        [course.id],
      );
      expect(bookings).toEqual([
        { volunteer_id: leaver.id, status: 'cancelled' },
        { volunteer_id: waiting.id, status: 'booked' },
      ]);
      const audit = (await auditActions(leaver.id)).find((a) => a.action === 'volunteer.withdrawn');
      expect(audit?.details).toEqual({
        reason: 'Flytter',
        note: 'Flytter til Aalborg i januar.',
        bookingsCancelled: 1,
      });

      const thanks = await nextMail(leaver.email, /Tak for din interesse/, seen);
      expect(thanks.text).toContain('Hvis du en dag får lyst til at komme tilbage');
      expect(thanks.text).not.toContain('Aalborg');
      await nextMail(waiting.email, /.*/, seen);
    });

    it('should thank an English speaker in English and accept a withdrawal without a reason', async () => {
      const person = await factory.apply({ branchCode, locale: 'en' });
      const seen = t.mail.messages.length;
      const res = await staff().post(`/api/v1/volunteers/${person.id}/withdraw`).expect(200);
      expect(res.body.closing).toMatchObject({ reason: null, note: null });
      const mail = await nextMail(person.email, /Thank you for your interest/, seen);
      expect(mail.text).toContain('If you would like to come back one day');
    });

    it('should answer 400 on reason for more than 200 characters, and change nothing', async () => {
      const person = await factory.apply({ branchCode });
      const res = await staff()
        .post(`/api/v1/volunteers/${person.id}/withdraw`, { reason: 'x'.repeat(201) })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      expect((await stageOf(person.id)).status).toBe('active');
    });

    it('should reactivate a withdrawn volunteer with the stage derived afresh, without the bookings', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const { id, visitId } = await withVisit();
      await staff()
        .post(`/api/v1/home-visits/${visitId}/outcome`, {
          outcome: 'approved',
          heldAt: inDays(-0.01),
        })
        .expect(200);
      await staff().post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: id }).expect(201);
      await staff().post(`/api/v1/volunteers/${id}/withdraw`, { reason: 'Andet' }).expect(200);
      expect((await stageOf(id)).stage).toBe('withdrawn');

      const res = await staff().post(`/api/v1/volunteers/${id}/reactivate`).expect(200);
      expect(res.body).toMatchObject({ stage: 'approved', closing: null });
      expect(await stageOf(id)).toEqual({ stage: 'approved', status: 'active' });
      const [row] = await t.db.query<Record<string, unknown>[]>(
        'SELECT closed_at, closed_reason, closed_by FROM volunteer WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ closed_at: null, closed_reason: null, closed_by: null });
      const live = await t.db.query<unknown[]>(
        `SELECT 1 FROM booking WHERE volunteer_id = $1 AND status <> 'cancelled'`,
        [id],
      );
      expect(live).toHaveLength(0);
      const audit = (await auditActions(id)).find((a) => a.action === 'volunteer.reactivated');
      expect(audit?.details).toEqual({ stage: 'approved' });
    });

    it('should keep the seat of a course that has ended, and promise no waitlist move on one that has started', async () => {
      const ended = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-20),
      });
      const started = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 1,
        sessions: fullCourseSessions(-1),
      });
      const person = await factory.apply({ branchCode });
      const waiting = await factory.apply({ branchCode });
      await staff().post(`/api/v1/courses/${ended.id}/bookings`, { volunteerId: person.id });
      await staff()
        .post(`/api/v1/courses/${started.id}/bookings`, { volunteerId: person.id, second: true })
        .expect(201);
      await staff()
        .post(`/api/v1/courses/${started.id}/bookings`, { volunteerId: waiting.id })
        .expect(201);
      const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);

      const preview = await agent.get(`/staff/volunteers/${person.id}/withdraw`).expect(200);
      expect(preview.text).toContain('1 tilmeldinger annulleres');
      expect(preview.text).not.toContain('Ventelisten rykker op');

      await staff().post(`/api/v1/volunteers/${person.id}/withdraw`).expect(200);
      const statusOn = async (courseId: string, volunteerId: string) =>
        (
          await t.db.query<{ status: string }[]>(
            'SELECT status FROM booking WHERE course_id = $1 AND volunteer_id = $2',
            [courseId, volunteerId],
          )
        )[0]?.status;
      expect(await statusOn(ended.id, person.id)).toBe('booked');
      expect(await statusOn(started.id, person.id)).toBe('cancelled');
      expect(await statusOn(started.id, waiting.id)).toBe('waitlisted');
    });

    it('should refuse with 409 to reactivate an active or declined volunteer, or one whose address is taken again', async () => {
      const active = await factory.apply({ branchCode });
      await staff().post(`/api/v1/volunteers/${active.id}/reactivate`).expect(409);

      const declined = await withVisit();
      await staff()
        .post(`/api/v1/home-visits/${declined.visitId}/outcome`, {
          outcome: 'declined',
          heldAt: inDays(-0.01),
        })
        .expect(200);
      await staff().post(`/api/v1/volunteers/${declined.id}/reactivate`).expect(409);

      const first = await factory.apply({ branchCode });
      const seen = t.mail.messages.length;
      await staff().post(`/api/v1/volunteers/${first.id}/withdraw`).expect(200);
      // The thank-you first, so the new application's welcome is the next mail to the address.
      await nextMail(first.email, /Tak for din interesse/, seen);
      await factory.apply({ branchCode, email: first.email });
      const res = await staff().post(`/api/v1/volunteers/${first.id}/reactivate`).expect(409);
      expect(res.body.message).toContain('e-mail');
      expect((await stageOf(first.id)).status).toBe('withdrawn');
    });

    it("should answer 404 for another branch's volunteer", async () => {
      const person = await factory.apply({ branchCode });
      const other = as(otherCoordinator.token);
      await other
        .post(`/api/v1/volunteers/${person.id}/withdraw`, { reason: 'Flytter' })
        .expect(404);
      await staff().post(`/api/v1/volunteers/${person.id}/withdraw`).expect(200);
      await other.post(`/api/v1/volunteers/${person.id}/reactivate`).expect(404);
      expect((await stageOf(person.id)).status).toBe('withdrawn');
    });
  });

  describe('decline', () => {
    it('should keep the reason on the record and send a kind mail without it', async () => {
      const { id, email, visitId } = await withVisit({ locale: 'en' });
      const seen = t.mail.messages.length;
      await staff()
        .post(`/api/v1/home-visits/${visitId}/outcome`, {
          outcome: 'declined',
          heldAt: inDays(-0.01),
          reason: 'Ikke egnet til rollen',
          notes: 'Talte meget om at omvende familier.',
        })
        .expect(200);
      const detail = await staff().get(`/api/v1/volunteers/${id}`).expect(200);
      expect(detail.body.closing).toMatchObject({
        status: 'declined',
        reason: 'Ikke egnet til rollen',
        note: 'Talte meget om at omvende familier.',
        closedByName: 'Karen Koordinator',
      });
      const mail = await nextMail(email, /Thank you for your application/, seen);
      expect(mail.text).toContain('We have decided not to go further');
      expect(mail.text).not.toMatch(/omvende|egnet/);
      expect(mail.html).not.toMatch(/omvende|egnet/);
    });
  });
});
