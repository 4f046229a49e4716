import request from 'supertest';
import { loadConfig } from '../src/config/env';
import { CONSENT_TEXT, CONSENT_VERSION, consentVersionOf } from '../src/privacy/consent';
import { createTestApp, type TestApp } from './app';
import { dateFromToday } from './dates';
import { COORDINATOR_PASSWORD, createCourse, Factory } from './factories';
import { signedInAgent } from './pages';

describe('privacy settings', () => {
  it('should default the retention periods and validate the new settings', () => {
    expect(loadConfig({})).toMatchObject({
      organisationName: 'HOME-START',
      privacyContactEmail: undefined,
      retentionClosedMonths: 6,
      mailBodyRetentionDays: 30,
    });
    expect(
      loadConfig({
        ORGANISATION_NAME: 'Home-Start Danmark',
        PRIVACY_CONTACT_EMAIL: 'dpo@example.org',
        RETENTION_CLOSED_MONTHS: '12',
        MAIL_BODY_RETENTION_DAYS: '7',
      }),
    ).toMatchObject({
      organisationName: 'Home-Start Danmark',
      privacyContactEmail: 'dpo@example.org',
      retentionClosedMonths: 12,
      mailBodyRetentionDays: 7,
    });
    expect(() => loadConfig({ PRIVACY_CONTACT_EMAIL: 'not an address' })).toThrow(
      /PRIVACY_CONTACT_EMAIL/,
    );
    expect(() => loadConfig({ RETENTION_CLOSED_MONTHS: '0' })).toThrow(/RETENTION_CLOSED_MONTHS/);
    expect(() => loadConfig({ MAIL_BODY_RETENTION_DAYS: 'x' })).toThrow(/MAIL_BODY_RETENTION_DAYS/);
  });
});

describe('consent text versions', () => {
  it('should make a new version when a word of the text changes', () => {
    expect(CONSENT_VERSION).toMatch(/^[0-9a-f]{12}$/);
    expect(consentVersionOf(CONSENT_TEXT)).toBe(CONSENT_VERSION);
    expect(consentVersionOf({ ...CONSENT_TEXT, en: `${CONSENT_TEXT.en} ` })).not.toBe(
      CONSENT_VERSION,
    );
    expect(
      consentVersionOf({ ...CONSENT_TEXT, da: CONSENT_TEXT.da.replace('fast', 'kort') }),
    ).not.toBe(CONSENT_VERSION);
  });
});

describe('privacy notice, consent and sensitive reads', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ORGANISATION_NAME: 'Home-Start Landsforening',
        PRIVACY_CONTACT_EMAIL: 'privatliv@example.org',
        RETENTION_CLOSED_MONTHS: '9',
        MAIL_BODY_RETENTION_DAYS: '45',
      },
    });
    factory = new Factory(t);
    branchCode = await factory.branch();
    await request(t.http)
      .patch(`/api/v1/branches/${branchCode}`)
      .auth(await factory.admin(), { type: 'bearer' })
      .send({ contactEmail: 'nord@example.org' })
      .expect(200);
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  it('should show the notice with the responsible, the periods from the settings and the rights', async () => {
    const page = await request(t.http).get('/privatliv').expect(200);
    expect(page.text).toContain('<h1>Privatlivspolitik');
    expect(page.text).toContain('Home-Start Landsforening');
    expect(page.text).toContain(`Home-Start ${branchCode}: <a href="mailto:nord@example.org">`);
    expect(page.text).toContain('href="mailto:privatliv@example.org"');
    expect(page.text).toMatch(/får afslag, sletter vi dine oplysninger\s+9 måneder/);
    expect(page.text).toMatch(/slettes efter\s+45 dage/);
    for (const right of [
      'Indsigt',
      'Berigtigelse',
      'Sletning',
      'Tilbagetræk samtykke',
      'Datatilsynet',
      'Hent mine data',
    ]) {
      expect(page.text).toContain(right);
    }
    // The certificate: the facts, never the document.
    expect(page.text).toContain('Selve attesten gemmes aldrig i Klar');
    expect(page.text).toContain(CONSENT_VERSION);

    const reader = request.agent(t.http);
    await reader.get('/lang?lang=en&next=/privatliv').expect(303);
    const english = await reader.get('/privatliv').expect(200);
    expect(english.text).toContain('Privacy notice');
    expect(english.text).toMatch(/erase your details\s+9 months later/);
  });

  it('should link the notice from the form beside the consent, the footer and every email', async () => {
    const form = await request(t.http).get('/ansog').expect(200);
    expect(form.text).toMatch(/id="consent-text"[^>]*>[^<]*<a href="\/privatliv">/);
    expect(form.text).toContain(`data-consent-version="${CONSENT_VERSION}"`);
    expect(form.text).toContain(CONSENT_TEXT.da);
    const front = await request(t.http).get('/').expect(200);
    expect(front.text).toMatch(/<footer class="site">[\s\S]*href="\/privatliv"[\s\S]*<\/footer>/);

    const applicant = await factory.apply({ branchCode });
    expect(applicant.mail.html).toContain('href="http://klar.test/privatliv"');
    expect(applicant.mail.text).toContain('http://klar.test/privatliv');
  });

  it('should store the consent with its time, text version and source, and show them on the record', async () => {
    const before = Date.now();
    const applicant = await factory.apply({ branchCode });
    const detail = await staff(request(t.http).get(`/api/v1/volunteers/${applicant.id}`)).expect(
      200,
    );
    expect(detail.body.consent).toEqual({
      givenAt: expect.any(String),
      textVersion: CONSENT_VERSION,
      source: 'application',
    });
    expect(Date.parse(detail.body.consent.givenAt)).toBeGreaterThanOrEqual(before - 1000);
    const texts: { version: string; text_da: string }[] = await t.db.query(
      'SELECT version, text_da FROM consent_text ORDER BY version',
    );
    expect(texts).toContainEqual({ version: CONSENT_VERSION, text_da: CONSENT_TEXT.da });
    // Everyone who applied before versions existed agreed to "v1" (the migration's row).
    expect(texts.map((r) => r.version)).toContain('v1');

    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const page = await agent.get(`/staff/volunteers/${applicant.id}`).expect(200);
    expect(page.text).toMatch(
      new RegExp(
        `Samtykke givet [^<]+, tekstversion <code>${CONSENT_VERSION}</code> \\(i ansøgningen\\)`,
      ),
    );
  });

  it('should audit who read a certificate result, once per reader per 10 minutes, and show it in the history', async () => {
    const applicant = await factory.apply({ branchCode });
    const viewed = async () => {
      const rows: { actor_id: string }[] = await t.db.query(
        `SELECT actor_id FROM audit_event WHERE volunteer_id = $1 AND action = 'attestation.viewed'`,
        [applicant.id],
      );
      return rows.length;
    };
    // No certificate yet: nothing sensitive was read.
    await staff(request(t.http).get(`/api/v1/volunteers/${applicant.id}`)).expect(200);
    expect(await viewed()).toBe(0);

    await staff(
      request(t.http)
        .post(`/api/v1/volunteers/${applicant.id}/attestations`)
        .send({ receivedOn: dateFromToday(-3), result: 'has_entries' }),
    ).expect(201);
    await staff(request(t.http).get(`/api/v1/volunteers/${applicant.id}`)).expect(200);
    expect(await viewed()).toBe(1);
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    await agent.get(`/staff/volunteers/${applicant.id}`).expect(200);
    expect(await viewed()).toBe(1);

    // Another reader is logged on their own; so is the first reader once the window passed.
    const admin = await factory.admin();
    await request(t.http)
      .get(`/api/v1/volunteers/${applicant.id}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(await viewed()).toBe(2);
    await t.db.query(
      `ALTER TABLE audit_event DISABLE TRIGGER USER;
       UPDATE audit_event SET occurred_at = occurred_at - interval '11 minutes' WHERE volunteer_id = '${applicant.id}';
       ALTER TABLE audit_event ENABLE TRIGGER USER;`,
    );
    await staff(request(t.http).get(`/api/v1/volunteers/${applicant.id}`)).expect(200);
    expect(await viewed()).toBe(3);

    const history = await staff(
      request(t.http).get(`/api/v1/volunteers/${applicant.id}/history`),
    ).expect(200);
    expect(history.body).toContainEqual(
      expect.objectContaining({ action: 'attestation.viewed', actorName: 'Karen Koordinator' }),
    );
    const page = await agent.get(`/staff/volunteers/${applicant.id}`).expect(200);
    expect(page.text).toContain('Børneattestens resultat læst');
  });

  it('should audit every printed list with who, when and which', async () => {
    const applicant = await factory.apply({ branchCode });
    const course = await createCourse(t, coordinator.token, { branchCode });
    await staff(
      request(t.http)
        .post(`/api/v1/courses/${course.id}/bookings`)
        .send({ volunteerId: applicant.id }),
    ).expect(201);
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    await agent.get(`/staff/courses/${course.id}/print/attendance`).expect(200);
    await agent.get(`/staff/courses/${course.id}/print/participants`).expect(200);
    const rows: { actor_id: string; occurred_at: Date; details: Record<string, unknown> }[] =
      await t.db.query(
        `SELECT actor_id, occurred_at, details FROM audit_event
          WHERE action = 'export.printed' AND details->>'courseId' = $1 ORDER BY id`,
        [course.id],
      );
    const [me]: { id: string }[] = await t.db.query('SELECT id FROM staff_user WHERE email = $1', [
      coordinator.email,
    ]);
    expect(rows.map((r) => [r.actor_id, r.details.list, r.details.people])).toEqual([
      [me.id, 'attendance_sheet', 1],
      [me.id, 'participant_list', 1],
    ]);
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
  });
});
