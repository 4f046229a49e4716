import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory } from './factories';
import { settle } from './links';
import { COORDINATOR_PASSWORD } from './factories';
import { csrfIn, signedInAgent, submitForm } from './pages';

/** Letters only, so a name made of them passes the form's rules and is unique in the database. */
const letters = (n: number) =>
  [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/** A person whose name, address and phone occur nowhere else in the database. */
function uniquePerson() {
  const firstName = capital(`ottilie${letters(6)}`);
  const lastName = capital(`qvist${letters(8)}`);
  const digits = `2${String(randomBytes(4).readUInt32BE(0) % 10_000_000).padStart(7, '0')}`;
  return {
    firstName,
    lastName,
    email: `${firstName}.${lastName}@example.org`.toLowerCase(),
    phone: `+45 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`,
    phoneDigits: digits,
  };
}

/** Issue 14: access export, erasure, and the volunteer's own requests. */
describe('privacy rights: export, erasure, own requests', () => {
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
    delete: (path: string) => request(t.http).delete(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object = {}) =>
      request(t.http).post(path).auth(token, { type: 'bearer' }).send(body),
  });
  const staff = () => as(coordinator.token);
  const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();

  /**
   * Every row of every table of the database as JSON text, and which of `needles`
   * (case-insensitive) each table holds.
   */
  async function scan(needles: string[]): Promise<Record<string, string[]>> {
    const tables = await t.db.query<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThan(25);
    const found: Record<string, string[]> = {};
    for (const { name } of tables) {
      const rows = await t.db.query<{ j: string }[]>(
        `SELECT row_to_json(t)::text AS j FROM "${name}" t`,
      );
      const text = rows.map((r) => r.j.toLowerCase()).join('\n');
      const hits = needles.filter((n) => text.includes(n.toLowerCase()));
      if (hits.length > 0) {
        found[name] = hits;
      }
    }
    return found;
  }

  /** A person with something in every corner: visit, note, booking, mails, audit events. */
  async function fullRecord() {
    const who = uniquePerson();
    const person = await factory.apply({
      branchCode,
      firstName: who.firstName,
      lastName: who.lastName,
      email: who.email,
      phone: who.phone,
      motivation: `Jeg hedder ${who.firstName} og vil gerne hjælpe.`,
    });
    const visit = await staff()
      .post(`/api/v1/volunteers/${person.id}/home-visits`, { scheduledAt: inDays(2) })
      .expect(201);
    await staff()
      .post(`/api/v1/volunteers/${person.id}/notes`, {
        text: `Talte med ${who.firstName} ${who.lastName} på ${who.phone}.`,
      })
      .expect(201);
    return { ...who, ...person, visitId: visit.body.id as string };
  }

  describe('export (GET /api/v1/volunteers/{id}/export, GET /api/v1/me/export)', () => {
    it('should give the coordinator everything held about the person, and audit who exported whom', async () => {
      const p = await fullRecord();
      await settle(t);

      const res = await staff().get(`/api/v1/volunteers/${p.id}/export`).expect(200);

      expect(res.body.volunteer).toMatchObject({
        id: p.id,
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        phone: p.phone,
        branch: { code: branchCode },
      });
      expect(res.body.consent.givenAt).toEqual(expect.any(String));
      expect(res.body.homeVisits).toHaveLength(1);
      expect(res.body.notes).toEqual([
        expect.objectContaining({ text: expect.stringContaining(p.lastName) }),
      ]);
      const templates = (res.body.emails as { template: string }[]).map((e) => e.template);
      expect(templates).toEqual(
        expect.arrayContaining(['application-received', 'home-visit-scheduled']),
      );
      expect(res.body.emails[0].textBody).toContain(p.firstName);
      expect((res.body.history as { action: string }[]).map((h) => h.action)).toEqual(
        expect.arrayContaining(['volunteer.note_added']),
      );
      for (const key of ['certificates', 'bookings', 'attendance', 'evaluations']) {
        expect(Array.isArray(res.body[key])).toBe(true);
      }

      const [audit] = await t.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_event e JOIN staff_user s ON s.id = e.actor_id
          WHERE e.action = 'volunteer.exported' AND e.volunteer_id = $1 AND s.email = $2`,
        [p.id, coordinator.email],
      );
      expect(Number(audit.n)).toBe(1);
    });

    it("should answer 404 to another branch's coordinator and 401 without a token", async () => {
      const p = await factory.apply({ branchCode });
      await as(otherCoordinator.token).get(`/api/v1/volunteers/${p.id}/export`).expect(404);
      await request(t.http).get(`/api/v1/volunteers/${p.id}/export`).expect(401);
    });

    it('should give the volunteer the same document through their personal link', async () => {
      const p = await fullRecord();

      const own = await as(p.portalToken).get('/api/v1/me/export').expect(200);
      const staffs = await staff().get(`/api/v1/volunteers/${p.id}/export`).expect(200);

      expect(own.body.volunteer).toEqual(staffs.body.volunteer);
      expect(own.body.notes).toEqual(staffs.body.notes);
      expect(Object.keys(own.body).sort()).toEqual(Object.keys(staffs.body).sort());
      await request(t.http).get('/api/v1/me/export').expect(401);
    });
  });

  describe('erasure (DELETE /api/v1/volunteers/{id})', () => {
    it('should cancel the bookings, move the waitlist up, and send a farewell', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const leaver = await fullRecord();
      const waiting = await factory.apply({ branchCode });
      await staff()
        .post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: leaver.id })
        .expect(201);
      await staff()
        .post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: waiting.id })
        .expect(201);
      const seen = t.mail.messages.length;

      await staff().delete(`/api/v1/volunteers/${leaver.id}`).expect(204);

      const bookings = await t.db.query<{ volunteer_id: string; status: string }[]>(
        'SELECT volunteer_id, status FROM booking WHERE course_id = $1 ORDER BY created_at',
        [course.id],
      );
      expect(bookings).toEqual([
        { volunteer_id: leaver.id, status: 'cancelled' },
        { volunteer_id: waiting.id, status: 'booked' },
      ]);
      const farewell = await t.mail.waitFor(
        leaver.email,
        (m) => t.mail.messages.indexOf(m) >= seen && /slettet/.test(m.subject ?? ''),
      );
      expect(farewell.text).toContain(leaver.firstName);
      await settle(t);
      const [row] = await t.db.query<Record<string, unknown>[]>(
        `SELECT recipient, text_body, html_body, status FROM outbox_message WHERE template = 'farewell'
          AND dedupe_key LIKE $1`,
        [`farewell:${leaver.id}:%`],
      );
      expect(row).toEqual({ recipient: '', text_body: '', html_body: '', status: 'sent' });
    });

    it('should leave the id answering 404, no list or search finding them, and their link 401', async () => {
      const p = await fullRecord();
      await staff().delete(`/api/v1/volunteers/${p.id}`).expect(204);

      await staff().get(`/api/v1/volunteers/${p.id}`).expect(404);
      await staff().get(`/api/v1/volunteers/${p.id}/export`).expect(404);
      await staff().delete(`/api/v1/volunteers/${p.id}`).expect(404);
      const all = await staff().get('/api/v1/volunteers?limit=100').expect(200);
      expect((all.body.items as { id: string }[]).map((v) => v.id)).not.toContain(p.id);
      const search = await staff()
        .get(`/api/v1/volunteers?q=${encodeURIComponent(p.lastName)}`)
        .expect(200);
      expect(search.body.total).toBe(0);
      await as(p.portalToken).get('/api/v1/me').expect(401);
      await as(p.portalToken).get('/api/v1/me/export').expect(401);
      await request(t.http)
        .get(`/v/${p.portalToken}`)
        .expect((res) => {
          expect([401, 404]).toContain(res.status);
        });

      // The tombstone keeps the anonymous facts: branch, dates, stage reached.
      const [tomb] = await t.db.query<Record<string, unknown>[]>(
        `SELECT first_name, last_name, phone, status, erased_at IS NOT NULL AS erased,
                created_at IS NOT NULL AS applied, branch_id IS NOT NULL AS branch
           FROM volunteer WHERE id = $1`,
        [p.id],
      );
      expect(tomb).toEqual({
        first_name: '',
        last_name: '',
        phone: '',
        status: 'withdrawn',
        erased: true,
        applied: true,
        branch: true,
      });
    });

    it("should answer 404 to another branch's coordinator and erase nothing", async () => {
      const p = await factory.apply({ branchCode });
      const res = await as(otherCoordinator.token).delete(`/api/v1/volunteers/${p.id}`);
      expect(res.status).toBe(404);
      const still = await staff().get(`/api/v1/volunteers/${p.id}`).expect(200);
      expect(still.body.firstName).toBe('Maja');
    });

    it('should let an administrator erase in any branch', async () => {
      const p = await factory.apply({ branchCode });
      const res = await as(await factory.admin()).delete(`/api/v1/volunteers/${p.id}`);
      expect(res.status).toBe(204);
      const gone = await staff().get(`/api/v1/volunteers/${p.id}`);
      expect(gone.status).toBe(404);
    });

    it("should leave no table holding the person's name, email or phone, the sent farewell included (THE TEST)", async () => {
      const p = await fullRecord();
      await as(p.portalToken).post('/api/v1/me/erasure-request').expect(202);
      await staff()
        .post(`/api/v1/volunteers/${p.id}/withdraw`, {
          reason: `${p.firstName} flytter`,
          note: `${p.lastName} ringede fra ${p.phone}`,
        })
        .expect(200);
      await settle(t);
      const needles = [
        `${p.firstName} ${p.lastName}`,
        p.firstName,
        p.lastName,
        p.email,
        p.phone,
        p.phoneDigits,
      ];

      // The sanity of the scan: before erasure it finds the person where they are held.
      const before = await scan(needles);
      expect(Object.keys(before)).toEqual(
        expect.arrayContaining(['volunteer', 'volunteer_note', 'outbox_message', 'audit_event']),
      );
      expect(before.volunteer).toEqual(expect.arrayContaining(needles));

      await staff().delete(`/api/v1/volunteers/${p.id}`).expect(204);
      await settle(t);

      expect(await t.mail.waitFor(p.email, (m) => /slettet/.test(m.subject ?? ''))).toBeTruthy();
      const [farewell] = await t.db.query<{ status: string }[]>(
        `SELECT status FROM outbox_message WHERE dedupe_key LIKE $1`,
        [`farewell:${p.id}:%`],
      );
      expect(farewell.status).toBe('sent');
      expect(await scan(needles)).toEqual({});
      // The audit log still says what happened, and by whom.
      const actions = await t.db.query<{ action: string; details: object }[]>(
        'SELECT action, details FROM audit_event WHERE volunteer_id = $1 ORDER BY id',
        [p.id],
      );
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining(['volunteer.withdrawn', 'volunteer.note_added', 'volunteer.erased']),
      );
    });
  });

  describe("the volunteer's own requests", () => {
    it('should let the volunteer withdraw themselves (200), cancelling their bookings; again is 409', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const p = await factory.apply({ branchCode });
      await staff()
        .post(`/api/v1/courses/${course.id}/bookings`, { volunteerId: p.id })
        .expect(201);

      const res = await as(p.portalToken).post('/api/v1/me/withdraw').expect(200);

      expect(res.body).toMatchObject({ id: p.id, status: 'withdrawn', stage: 'withdrawn' });
      const [booking] = await t.db.query<{ status: string }[]>(
        'SELECT status FROM booking WHERE volunteer_id = $1',
        [p.id],
      );
      expect(booking.status).toBe('cancelled');
      const [row] = await t.db.query<{ closed_by: string | null }[]>(
        'SELECT closed_by FROM volunteer WHERE id = $1',
        [p.id],
      );
      expect(row.closed_by).toBeNull();
      await as(p.portalToken).post('/api/v1/me/withdraw').expect(409);
    });

    it('should store an erasure request with a 30-day deadline, once however often it is asked', async () => {
      const p = await factory.apply({ branchCode });

      await as(p.portalToken).post('/api/v1/me/erasure-request').expect(202);
      await as(p.portalToken).post('/api/v1/me/erasure-request').expect(202);

      const rows = await t.db.query<{ days: number; handled: boolean }[]>(
        `SELECT (due_on - (requested_at AT TIME ZONE 'Europe/Copenhagen')::date) AS days,
                handled_at IS NOT NULL AS handled
           FROM erasure_request WHERE volunteer_id = $1`,
        [p.id],
      );
      expect(rows).toEqual([{ days: 30, handled: false }]);

      await staff().delete(`/api/v1/volunteers/${p.id}`).expect(204);
      const [after] = await t.db.query<{ handled: boolean }[]>(
        'SELECT handled_at IS NOT NULL AS handled FROM erasure_request WHERE volunteer_id = $1',
        [p.id],
      );
      expect(after.handled).toBe(true);
    });
  });

  describe('the staff pages', () => {
    const agentOf = () => signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);

    it('should link the export and the erasure from the record, and show the export readable and as a file', async () => {
      const p = await fullRecord();
      const agent = await agentOf();

      const record = await agent.get(`/staff/volunteers/${p.id}`).expect(200);
      expect(record.text).toContain(`href="/staff/volunteers/${p.id}/export"`);
      expect(record.text).toContain('Hent personens data');
      expect(record.text).toContain(`href="/staff/volunteers/${p.id}/erase"`);

      const page = await agent.get(`/staff/volunteers/${p.id}/export`).expect(200);
      expect(page.text).toContain(p.lastName);
      expect(page.text).toContain('Talte med');
      expect(page.text).toContain(`href="/staff/volunteers/${p.id}/export.json"`);

      const file = await agent.get(`/staff/volunteers/${p.id}/export.json`).expect(200);
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="klar-data-/);
      expect(JSON.parse(file.text).volunteer.email).toBe(p.email);

      const other = await signedInAgent(t, otherCoordinator.email, COORDINATOR_PASSWORD);
      const refused = await other.get(`/staff/volunteers/${p.id}/export`);
      expect(refused.status).toBe(404);
    });

    it('should ask twice before erasing: the checkbox and the name typed, refused without either', async () => {
      const p = await fullRecord();
      const agent = await agentOf();
      const page = `/staff/volunteers/${p.id}/erase`;

      // A colleague's refused note about the person waits in their session, unread.
      const colleague = await agentOf();
      await submitForm(colleague, `/staff/volunteers/${p.id}`, `/staff/volunteers/${p.id}/notes`, {
        text: `Ring til ${p.firstName} ${p.lastName}. ${'x'.repeat(2100)}`,
      });
      const sessionsNaming = async (needle: string) =>
        (
          await t.db.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM http_session WHERE position(lower($1) in lower(sess::text)) > 0`,
            [needle],
          )
        )[0].n;
      expect(await sessionsNaming(p.lastName)).toBe(1);

      const refused = await submitForm(agent, page, page, { name: p.firstName });
      expect(refused).toBe(page);
      // The name typed on the erase page is not kept for the refused form.
      expect(await sessionsNaming(p.firstName)).toBe(1);
      const shown = await agent.get(page).expect(200);
      expect(shown.text).toContain('Bekræft, at du forstår');
      expect(shown.text).toContain('Skriv personens fulde navn');
      await staff().get(`/api/v1/volunteers/${p.id}`).expect(200);

      const done = await submitForm(agent, page, page, {
        understood: 'yes',
        name: `${p.firstName.toLowerCase()}  ${p.lastName}`,
      });
      expect(done).toBe('/staff/volunteers');
      await staff().get(`/api/v1/volunteers/${p.id}`).expect(404);
      const gone = await agent.get(`/staff/volunteers/${p.id}`);
      expect(gone.status).toBe(404);
      expect(await sessionsNaming(p.lastName)).toBe(0);
    });

    it("should list the volunteers' erasure requests on the dashboard, oldest first, with the deadline, and on the record", async () => {
      const first = await factory.apply({ branchCode, firstName: 'Aksel', lastName: 'Førstesen' });
      const second = await factory.apply({ branchCode, firstName: 'Birte', lastName: 'Andensen' });
      await as(first.portalToken).post('/api/v1/me/erasure-request').expect(202);
      await as(second.portalToken).post('/api/v1/me/erasure-request').expect(202);
      const [{ due }] = await t.db.query<{ due: string }[]>(
        `SELECT to_char(due_on, 'YYYY-MM-DD') AS due FROM erasure_request WHERE volunteer_id = $1`,
        [first.id],
      );
      const agent = await agentOf();

      const dashboard = await agent.get('/staff').expect(200);
      expect(dashboard.text).toContain('Anmodninger om sletning');
      const at = (id: string) => dashboard.text.indexOf(`/staff/volunteers/${id}/erase`);
      expect(at(first.id)).toBeGreaterThan(-1);
      expect(at(second.id)).toBeGreaterThan(at(first.id));
      const record = await agent.get(`/staff/volunteers/${first.id}`).expect(200);
      expect(record.text).toContain('har bedt om at blive slettet');
      expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const other = await signedInAgent(t, otherCoordinator.email, COORDINATOR_PASSWORD);
      const elsewhere = await other.get('/staff').expect(200);
      expect(elsewhere.text).not.toContain(first.id);
      expect(csrfIn(dashboard.text)).toEqual(expect.any(String));
    });
  });

  describe("the volunteer's personal page", () => {
    it("should offer 'Hent mine data' as a file, and withdrawing and erasure each after asking", async () => {
      const p = await factory.apply({ branchCode });
      const agent = request.agent(t.http);

      const page = await agent.get(`/v/${p.portalToken}`).expect(200);
      expect(page.text).toContain('Hent mine data');
      expect(page.text).toContain(`href="/v/${p.portalToken}/slet-mig"`);
      expect(page.text).toContain(`href="/v/${p.portalToken}/traek-tilbage"`);

      const file = await agent.get(`/v/${p.portalToken}/mine-data`).expect(200);
      expect(file.headers['content-disposition']).toMatch(/^attachment/);
      expect(JSON.parse(file.text).volunteer.id).toBe(p.id);

      const asked = await submitForm(
        agent,
        `/v/${p.portalToken}/slet-mig`,
        `/v/${p.portalToken}/slet-mig`,
      );
      expect(asked).toBe(`/v/${p.portalToken}`);
      const again = await agent.get(`/v/${p.portalToken}/slet-mig`).expect(200);
      expect(again.text).toContain('Du har allerede bedt om at blive slettet');

      const left = await submitForm(
        agent,
        `/v/${p.portalToken}/traek-tilbage`,
        `/v/${p.portalToken}/traek-tilbage`,
      );
      expect(left).toBe(`/v/${p.portalToken}`);
      const [row] = await t.db.query<{ status: string; requests: number }[]>(
        `SELECT status, (SELECT count(*)::int FROM erasure_request r WHERE r.volunteer_id = v.id) AS requests
           FROM volunteer v WHERE id = $1`,
        [p.id],
      );
      expect(row).toEqual({ status: 'withdrawn', requests: 1 });
      const closed = await agent.get(`/v/${p.portalToken}`).expect(200);
      expect(closed.text).not.toContain(`href="/v/${p.portalToken}/traek-tilbage"`);
    });
  });
});
