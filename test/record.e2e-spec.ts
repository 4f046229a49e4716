import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';

describe("the volunteer's record: edit, notes, history", () => {
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
    post: (path: string, body: object) =>
      request(t.http).post(path).auth(token, { type: 'bearer' }).send(body),
  });

  it('should correct the details, audit which fields changed and not their values', async () => {
    const { id } = await factory.apply({ branchCode });
    const staff = as(coordinator.token);

    const res = await staff
      .patch(`/api/v1/volunteers/${id}`, {
        firstName: 'Mette',
        phone: '+45 11 22 33 44',
        postcode: '8200',
        availability: ['weekend'],
        languages: ['da', 'ar'],
        lastName: 'Sørensen', // unchanged: not counted as a change
      })
      .expect(200);
    expect(res.body).toMatchObject({
      id,
      firstName: 'Mette',
      lastName: 'Sørensen',
      phone: '+45 11 22 33 44',
      postcode: '8200',
      availability: ['weekend'],
      languages: ['da', 'ar'],
    });
    const [row] = await t.db.query<{ first_name: string; postcode: string }[]>(
      'SELECT first_name, postcode FROM volunteer WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ first_name: 'Mette', postcode: '8200' });

    const audits = await t.db.query<{ actor_id: string; details: Record<string, string> }[]>(
      `SELECT actor_id, details FROM audit_event WHERE volunteer_id = $1 AND action = 'volunteer.updated'`,
      [id],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0].details).toEqual({
      changed: 'firstName,phone,postcode,availability,languages',
    });
    expect(JSON.stringify(audits[0].details)).not.toContain('Mette');
  });

  it('should answer 409 for an email another active volunteer uses, without saying where', async () => {
    const taken = await factory.apply({ branchCode: await factory.branch() });
    const { id, email } = await factory.apply({ branchCode });

    const res = await as(coordinator.token)
      .patch(`/api/v1/volunteers/${id}`, { email: taken.email.toUpperCase() })
      .expect(409);
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(taken.id));
    expect(JSON.stringify(res.body)).not.toMatch(/branch|b-[0-9a-f]{8}/i);
    const [row] = await t.db.query<{ email: string }[]>(
      'SELECT email FROM volunteer WHERE id = $1',
      [id],
    );
    expect(row.email).toBe(email);

    // A closed application frees its address.
    await as(coordinator.token).post(`/api/v1/volunteers/${id}/withdraw`, {}).expect(200);
    const next = await factory.apply({ branchCode });
    await as(coordinator.token)
      .patch(`/api/v1/volunteers/${next.id}`, { email })
      .expect(200)
      .expect((r) => expect(r.body.email).toBe(email));
  });

  it('should name the field of bad input with 400 and change nothing', async () => {
    const { id } = await factory.apply({ branchCode });
    const staff = as(coordinator.token);
    const cases: [object, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ postcode: '80' }, 'postcode'],
      [{ phone: 'ring mig' }, 'phone'],
      [{ firstName: '' }, 'firstName'],
      [{ availability: ['sometimes'] }, 'availability'],
      [{ languages: 'da' }, 'languages'],
      [{ stage: 'matchable' }, 'stage'],
      // null is not "unchanged": it is refused, never passed on to a NOT NULL column.
      [{ phone: null }, 'phone'],
      [{ firstName: null }, 'firstName'],
      [{ languages: null }, 'languages'],
    ];
    for (const [body, field] of cases) {
      const res = await staff.patch(`/api/v1/volunteers/${id}`, body).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    for (const [body, field] of [
      [{}, 'text'],
      [{ text: '' }, 'text'],
      [{ text: 'x'.repeat(2001) }, 'text'],
      [{ text: 'ok', topic: 'family' }, 'topic'],
    ] as [object, string][]) {
      const res = await staff.post(`/api/v1/volunteers/${id}/notes`, body).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event
        WHERE volunteer_id = $1 AND action IN ('volunteer.updated', 'volunteer.note_added')`,
      [id],
    );
    expect(n).toBe(0);
    await staff.post(`/api/v1/volunteers/${id}/notes`, { text: 'x'.repeat(2000) }).expect(201);
  });

  it('should keep notes newest first with their author and topic, audited', async () => {
    const { id } = await factory.apply({ branchCode });
    const staff = as(coordinator.token);

    const first = await staff
      .post(`/api/v1/volunteers/${id}/notes`, {
        text: 'Ringede, aftalte besøg.',
        topic: 'home_visit',
      })
      .expect(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      text: 'Ringede, aftalte besøg.',
      topic: 'home_visit',
      authorName: 'Karen Koordinator',
      // With Copenhagen's offset, as every time on the record.
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/),
    });
    await staff.post(`/api/v1/volunteers/${id}/notes`, { text: 'Sendt påmindelse.' }).expect(201);

    const notes = await staff.get(`/api/v1/volunteers/${id}/notes`).expect(200);
    expect(notes.body.map((n: { text: string }) => n.text)).toEqual([
      'Sendt påmindelse.',
      'Ringede, aftalte besøg.',
    ]);
    expect(notes.body[0].topic).toBeNull();
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event WHERE volunteer_id = $1 AND action = 'volunteer.note_added'`,
      [id],
    );
    expect(n).toBe(2);
  });

  it("should show the history newest first with who did it, from the volunteer's audit events", async () => {
    const { id } = await factory.apply({ branchCode });
    const staff = as(coordinator.token);
    await staff.patch(`/api/v1/volunteers/${id}`, { postcode: '9000' }).expect(200);
    await staff.post(`/api/v1/volunteers/${id}/notes`, { text: 'Note' }).expect(201);

    const history = await staff.get(`/api/v1/volunteers/${id}/history`).expect(200);
    expect(history.body).toEqual([
      expect.objectContaining({ action: 'volunteer.note_added', actorName: 'Karen Koordinator' }),
      expect.objectContaining({
        action: 'volunteer.updated',
        actorName: 'Karen Koordinator',
        detail: 'changed: postcode',
      }),
      expect.objectContaining({ action: 'application.received', actorName: null }),
    ]);
    expect(new Date(history.body[0].at).getTime()).toBeGreaterThanOrEqual(
      new Date(history.body[1].at).getTime(),
    );
  });

  it("should answer 404 for another branch's volunteer on every route and change nothing", async () => {
    const { id } = await factory.apply({ branchCode });
    const outsider = as(otherCoordinator.token);
    await outsider.patch(`/api/v1/volunteers/${id}`, { firstName: 'Hacked' }).expect(404);
    await outsider.get(`/api/v1/volunteers/${id}/notes`).expect(404);
    await outsider.post(`/api/v1/volunteers/${id}/notes`, { text: 'Hej' }).expect(404);
    await outsider.get(`/api/v1/volunteers/${id}/history`).expect(404);
    const [row] = await t.db.query<{ first_name: string }[]>(
      'SELECT first_name FROM volunteer WHERE id = $1',
      [id],
    );
    expect(row.first_name).toBe('Maja');
    const [{ n }] = await t.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM volunteer_note WHERE volunteer_id = $1',
      [id],
    );
    expect(n).toBe(0);
  });

  describe('on the page', () => {
    let agent: TestAgent;
    beforeAll(async () => {
      agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    });

    const post = async (id: string, action: string, body: Record<string, unknown>) => {
      const page = await agent.get(`/staff/volunteers/${id}`).expect(200);
      return agent
        .post(`/staff/volunteers/${id}/${action}`)
        .type('form')
        .send({ _csrf: csrfIn(page.text), ...body })
        .expect(303);
    };

    it('should save the edit form, and show a taken email next to the field', async () => {
      const other = await factory.apply({ branchCode });
      const { id, email } = await factory.apply({ branchCode });
      const base = {
        firstName: 'Maja',
        lastName: 'Sørensen',
        email,
        phone: '+45 20 30 40 50',
        postcode: '8000',
      };
      await post(id, 'details', { ...base, postcode: '5000', availability: 'weekend' });
      const saved = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(saved.text).toContain('Oplysningerne er gemt.');
      expect(saved.text).toContain('value="5000"');
      const [row] = await t.db.query<{ availability: string[]; languages: string[] }[]>(
        'SELECT availability, languages FROM volunteer WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ availability: ['weekend'], languages: [] });

      await post(id, 'details', { ...base, email: other.email, postcode: '5000' });
      const rejected = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(rejected.text).toContain('En anden aktiv frivillig bruger denne e-mailadresse');
      expect(rejected.text).toContain('id="f-details-email-error"');
      expect(rejected.text).toContain(`value="${other.email}"`);
    });

    it("should keep a refused form's errors for the page when the browser asks for its icon first", async () => {
      // Chromium fetches /favicon.ico after a page loads, often while the next form is posted.
      const { id } = await factory.apply({ branchCode });
      await post(id, 'notes', { text: '' });
      await agent.get('/favicon.ico').expect(404);
      const page = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(page.text).toContain('id="f-note-text-error"');
    });

    it('should add a note and list it with the history in Danish', async () => {
      const { id } = await factory.apply({ branchCode });
      await post(id, 'notes', { text: 'Talte med hende i telefon.', topic: 'attestation' });
      const page = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(page.text).toContain('Talte med hende i telefon.');
      expect(page.text).toContain('Note skrevet');
      expect(page.text).toContain('Ansøgning modtaget');

      await post(id, 'notes', { text: '' });
      const rejected = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(rejected.text).toContain('id="f-note-text-error"');
    });
  });
});
