import { jest } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import request from 'supertest';
import {
  EVALUATION_INVITATIONS_AT,
  EvaluationScheduler,
} from '../src/evaluation/evaluation.scheduler';
import { MAIL_BODY_PURGE_AT, MailRetention } from '../src/notifications/mail-retention';
import { emlOutboxDir } from '../src/notifications/mailer.service';
import {
  CERTIFICATE_WARNINGS_AT,
  NotificationScheduler,
} from '../src/notifications/notification.scheduler';
import { OutboxService } from '../src/notifications/outbox.service';
import { OutboxWorker } from '../src/notifications/outbox.worker';
import { READINESS_REFRESH_AT } from '../src/readiness/readiness.scheduler';
import { dailyPeriodKey } from '../src/scheduling/period-keys';
import { ScheduledRuns } from '../src/scheduling/scheduled-runs';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from './app';
import { serverUrl } from './database';
import { instantFromToday } from './dates';
import { createCourse, Factory, fullCourseSessions } from './factories';
import { signedInAgent } from './pages';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app';

const DAY_MS = 24 * 3600_000;
const onServer = serverUrl() ? describe : describe.skip;

interface Claim {
  job: string;
  period_key: string;
  instance: string;
  finished_at: Date | null;
}

const claims = (t: TestApp, job: string) =>
  t.db.query<Claim[]>(
    'SELECT job, period_key, instance, finished_at FROM scheduled_run WHERE job = $1 ORDER BY period_key',
    [job],
  );

/**
 * A volunteer made matchable on a certificate received 23 months ago (so it runs out
 * within the 60 days of the warning), through a course that ended ten days ago (so the
 * evaluation is due): one person who is owed both daily mails.
 */
async function volunteerOwedDailyMails(t: TestApp, firstName: string) {
  const factory = new Factory(t);
  const branchCode = await factory.branch();
  const coordinator = await factory.coordinator(branchCode);
  const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });
  const volunteer = await factory.apply({ branchCode, firstName });
  const visit = await staff(request(t.http).post(`/api/v1/volunteers/${volunteer.id}/home-visits`))
    .send({ scheduledAt: instantFromToday(-85, 10) })
    .expect(201);
  await staff(request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`))
    .send({ outcome: 'approved' })
    .expect(200);
  const receivedOn = DateTime.now().setZone('Europe/Copenhagen').minus({ months: 23 }).toISODate();
  await staff(request(t.http).post(`/api/v1/volunteers/${volunteer.id}/attestations`))
    .send({ receivedOn, result: 'clean' })
    .expect(201);
  const course = await createCourse(t, coordinator.token, {
    branchCode,
    sessions: fullCourseSessions(-10),
  });
  await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
    .send({ volunteerId: volunteer.id })
    .expect(201);
  for (const session of course.sessions) {
    await staff(request(t.http).put(`/api/v1/sessions/${session.id}/attendance`))
      .send({ records: [{ volunteerId: volunteer.id, present: true }] })
      .expect(200);
  }
  return { volunteer, coordinator };
}

const queued = (t: TestApp, template: string, to: string) =>
  t.db.query<{ id: string; status: string }[]>(
    'SELECT id, status FROM outbox_message WHERE template = $1 AND recipient = $2',
    [template, to],
  );

describe(ScheduledRuns.name, () => {
  let t: TestApp;
  let sut: ScheduledRuns;

  let startedAt: Date;

  beforeAll(async () => {
    startedAt = new Date();
    t = await createTestApp();
    sut = t.app.get(ScheduledRuns);
  });
  afterAll(() => t.close());

  it('should have caught up every daily job at start-up, each for the latest day due', async () => {
    const jobs = {
      'readiness-refresh': READINESS_REFRESH_AT,
      'expiring-certificates': CERTIFICATE_WARNINGS_AT,
      'evaluation-invitations': EVALUATION_INVITATIONS_AT,
      'mail-body-purge': MAIL_BODY_PURGE_AT,
    };
    for (const [job, at] of Object.entries(jobs)) {
      // The day due when the app started (or now, should its time have come meanwhile).
      const due = [dailyPeriodKey(at, startedAt), dailyPeriodKey(at, new Date())];
      const rows = await claims(t, job);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(due).toContain(rows[0].period_key);
      expect(rows[0]).toMatchObject({ instance: sut.instance, finished_at: expect.any(Date) });
    }
    expect((await claims(t, 'session-reminders')).length).toBeGreaterThanOrEqual(1);
  });

  it('should run a period once, and refuse it to a second call', async () => {
    let runs = 0;
    const work = () => Promise.resolve(runs++);
    expect(await sut.runOncePer('test-once', '2030-01-01', work)).toBe('ran');
    expect(await sut.runOncePer('test-once', '2030-01-01', work)).toBe('claimed-elsewhere');
    expect(await sut.runOncePer('test-once', '2030-01-02', work)).toBe('ran');
    expect(runs).toBe(2);
  });

  it('should release the claim of a failed run, so that the next tick runs the period', async () => {
    await expect(
      sut.runOncePer('test-failing', '2030-01-01', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await claims(t, 'test-failing')).toEqual([]);
    // A timer's tick logs the failure with its stack and says so, instead of throwing.
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      expect(
        await sut.tick('test-failing', '2030-01-01', () => Promise.reject(new Error('boom'))),
      ).toBe('failed');
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('test-failing 2030-01-01 failed: Error: boom'),
        expect.stringMatching(/\n\s+at /),
      );
    } finally {
      logged.mockRestore();
    }
    let ran = false;
    expect(await sut.tick('test-failing', '2030-01-01', () => Promise.resolve((ran = true)))).toBe(
      'ran',
    );
    expect(ran).toBe(true);
    expect(await claims(t, 'test-failing')).toMatchObject([
      { period_key: '2030-01-01', finished_at: expect.any(Date) },
    ]);
  });

  it('should leave a run in progress to its instance, and take over one whose instance died', async () => {
    await t.db.query(
      `INSERT INTO scheduled_run (job, period_key, instance, started_at) VALUES
         ('test-held', 'running', 'other-host/1/a', now() - interval '1 minute'),
         ('test-held', 'abandoned', 'other-host/1/a', now() - interval '2 hours')`,
    );
    const work = () => Promise.resolve();
    expect(await sut.runOncePer('test-held', 'running', work)).toBe('claimed-elsewhere');
    expect(await sut.runOncePer('test-held', 'abandoned', work)).toBe('ran');
    expect(await claims(t, 'test-held')).toMatchObject([
      { period_key: 'abandoned', instance: sut.instance, finished_at: expect.any(Date) },
      { period_key: 'running', instance: 'other-host/1/a', finished_at: null },
    ]);
  });
});

onServer('two instances on one database', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await createTestApp({ database });
    // Both instances send through one mail server, so every delivery can be counted.
    b = await createTestApp({ database, env: { SMTP_URL: a.config.smtpUrl! } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.dispose();
  });

  it('should queue each daily mail once when both instances run the day at the same moment', async () => {
    const { volunteer, coordinator } = await volunteerOwedDailyMails(a, 'Cille');
    // A day no start-up has claimed: tomorrow, at noon.
    const tomorrow = new Date(Date.now() + DAY_MS);

    const [warningsA, warningsB] = await Promise.all([
      a.app.get(NotificationScheduler).runDue(tomorrow),
      b.app.get(NotificationScheduler).runDue(tomorrow),
    ]);
    const [invitationsA, invitationsB] = await Promise.all([
      a.app.get(EvaluationScheduler).runDue(tomorrow),
      b.app.get(EvaluationScheduler).runDue(tomorrow),
    ]);

    expect([warningsA.warnings, warningsB.warnings].sort()).toEqual(['claimed-elsewhere', 'ran']);
    expect([invitationsA, invitationsB].sort()).toEqual(['claimed-elsewhere', 'ran']);
    const ranOn = (outcome: string) => (outcome === 'ran' ? a : b).app.get(ScheduledRuns).instance;
    expect(await claims(a, 'expiring-certificates')).toContainEqual({
      job: 'expiring-certificates',
      period_key: dailyPeriodKey(CERTIFICATE_WARNINGS_AT, tomorrow),
      instance: ranOn(warningsA.warnings),
      finished_at: expect.any(Date),
    });
    expect(await claims(a, 'evaluation-invitations')).toContainEqual(
      expect.objectContaining({
        period_key: dailyPeriodKey(EVALUATION_INVITATIONS_AT, tomorrow),
        instance: ranOn(invitationsA),
      }),
    );

    expect(await queued(a, 'attestation-expiring', volunteer.email)).toHaveLength(1);
    expect(await queued(a, 'attestation-expiring', coordinator.email)).toHaveLength(1);
    expect(await queued(a, 'evaluation', volunteer.email)).toHaveLength(1);
    // And each is delivered once, whichever instance's worker sends it.
    await a.mail.waitFor(volunteer.email, (m) => /Hvordan var/.test(m.subject ?? ''));
    await a.mail.waitFor(volunteer.email, (m) => /børneattest udløber/.test(m.subject ?? ''));
    await a.app.get(OutboxWorker).drain();
    await b.app.get(OutboxWorker).drain();
    const delivered = a.mail.messages
      .filter((m) => m.text?.includes('Cille') || m.subject?.includes('Cille'))
      .map((m) => m.subject);
    expect(delivered.filter((s) => /Hvordan var/.test(s ?? ''))).toHaveLength(1);
    expect(delivered.filter((s) => /udløber/.test(s ?? ''))).toHaveLength(2);
  });

  it('should run a failed day again on the next tick, on either instance, and mail once', async () => {
    const { volunteer } = await volunteerOwedDailyMails(a, 'Dorte');
    const dayAfter = new Date(Date.now() + 2 * DAY_MS);
    const key = dailyPeriodKey(CERTIFICATE_WARNINGS_AT, dayAfter);
    await a.db.query(`
      CREATE FUNCTION refuse_warning_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.template = 'attestation-expiring' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_warning_for_test BEFORE INSERT ON outbox_message
        FOR EACH ROW EXECUTE FUNCTION refuse_warning_for_test();`);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      expect((await a.app.get(NotificationScheduler).runDue(dayAfter)).warnings).toBe('failed');
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('refused for the test'),
        expect.any(String),
      );
    } finally {
      logged.mockRestore();
      await a.db.query(
        'DROP TRIGGER refuse_warning_for_test ON outbox_message; DROP FUNCTION refuse_warning_for_test();',
      );
    }
    expect((await claims(a, 'expiring-certificates')).map((c) => c.period_key)).not.toContain(key);
    expect(await queued(a, 'attestation-expiring', volunteer.email)).toEqual([]);

    expect((await b.app.get(NotificationScheduler).runDue(dayAfter)).warnings).toBe('ran');
    expect((await a.app.get(NotificationScheduler).runDue(dayAfter)).warnings).toBe(
      'claimed-elsewhere',
    );
    expect(await queued(a, 'attestation-expiring', volunteer.email)).toHaveLength(1);
    expect(await claims(a, 'expiring-certificates')).toContainEqual(
      expect.objectContaining({ period_key: key, instance: b.app.get(ScheduledRuns).instance }),
    );
  });
});

describe(MailRetention.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    // No SMTP_URL: the embedded mode, where every mail is also an .eml file.
    t = await createTestApp({ env: { SMTP_URL: '', MAIL_BODY_RETENTION_DAYS: '30' } });
  });
  afterAll(() => t.close());

  async function sentMail(key: string, template: string, data: Record<string, unknown>) {
    await t.db.transaction((em) =>
      t.app.get(OutboxService).enqueue(em, {
        key,
        to: `${key}@test.klar`,
        template,
        locale: 'da',
        data,
      }),
    );
    await t.app.get(OutboxWorker).drain();
    const [row] = await t.db.query<{ id: string; status: string; created_at: Date }[]>(
      'SELECT id, status, created_at FROM outbox_message WHERE dedupe_key = $1',
      [key],
    );
    expect(row.status).toBe('sent');
    return row;
  }

  const row = (id: string) =>
    t.db
      .query<
        {
          recipient: string;
          subject: string;
          text_body: string;
          html_body: string;
          attachments: unknown[];
          body_purged_at: Date | null;
          status: string;
          sent_at: Date;
          template: string;
        }[]
      >('SELECT * FROM outbox_message WHERE id = $1', [id])
      .then((rows) => rows[0]);

  it('should blank the bodies of mail sent before the retention, keep the metadata, and delete old .eml files', async () => {
    const portalUrl = 'http://klar.test/v/secret-personal-token-123';
    const named = await sentMail(`named-${Date.now()}`, 'application-received', {
      firstName: 'Ingeborg',
      branchName: 'Home-Start Test',
      portalUrl,
    });
    const plain = await sentMail(`plain-${Date.now()}`, 'session-reminder', {
      firstName: 'Ingeborg',
      courseTitle: 'Forberedende kursus',
      when: 'i morgen kl. 17',
      location: 'Frivillighuset',
      topics: 'Rammer',
    });
    const recent = await sentMail(`recent-${Date.now()}`, 'application-received', {
      firstName: 'Ingeborg',
      branchName: 'Home-Start Test',
      portalUrl,
    });
    await t.db.query(
      `UPDATE outbox_message SET sent_at = now() - interval '31 days' WHERE id = ANY($1)`,
      [[named.id, plain.id]],
    );
    const dir = emlOutboxDir(t.config.dataDir);
    const files = readdirSync(dir);
    const fileOf = (id: string) => files.find((f) => f.includes(id))!;
    expect(fileOf(named.id)).toBeDefined();
    const monthAgo = new Date(Date.now() - 31 * DAY_MS);
    for (const id of [named.id, plain.id]) {
      utimesSync(join(dir, fileOf(id)), monthAgo, monthAgo);
    }
    const before = await row(named.id);
    expect(before.text_body).toContain(portalUrl);

    const result = await t.app.get(MailRetention).purge();

    expect(result).toEqual({ messages: 2, files: 2 });
    const purgedNamed = await row(named.id);
    expect(purgedNamed).toMatchObject({
      recipient: before.recipient,
      template: 'application-received',
      status: 'sent',
      subject: '', // it named Ingeborg
      text_body: '',
      html_body: '',
      attachments: [],
      body_purged_at: expect.any(Date),
    });
    expect(purgedNamed.sent_at).toEqual(before.sent_at);
    expect(await row(plain.id)).toMatchObject({
      subject: 'Påmindelse: Forberedende kursus i morgen kl. 17',
      text_body: '',
      body_purged_at: expect.any(Date),
    });
    expect((await row(recent.id)).text_body).toContain(portalUrl);
    expect(existsSync(join(dir, fileOf(named.id)))).toBe(false);
    expect(existsSync(join(dir, fileOf(plain.id)))).toBe(false);
    expect(existsSync(join(dir, fileOf(recent.id)))).toBe(true);

    // Run again: nothing more to do.
    expect(await t.app.get(MailRetention).purge()).toEqual({ messages: 0, files: 0 });

    // The administrator sees the row with its content marked removed, and cannot resend it.
    const admin = await new Factory(t).admin();
    await request(t.http)
      .post(`/api/v1/outbox/${named.id}/resend`)
      .auth(admin, { type: 'bearer' })
      .expect(409)
      .expect((res) => expect(JSON.stringify(res.body)).toContain('removed'));
    const listed = await request(t.http)
      .get('/api/v1/outbox?status=sent&limit=100')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: named.id, bodyPurgedAt: expect.any(String) }),
    );
    const page = await (
      await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD)
    )
      .get('/staff/outbox?status=sent&limit=100')
      .expect(200);
    expect(page.text).toContain('(indhold slettet)');
    expect(page.text).toContain(before.recipient);
  });

  it('should leave failed mail and files it did not write alone, and find no folder fine', async () => {
    const dir = emlOutboxDir(t.config.dataDir);
    mkdirSync(dir, { recursive: true });
    const notMail = join(dir, 'notes.txt');
    writeFileSync(notMail, 'kept');
    const monthAgo = new Date(Date.now() - 60 * DAY_MS);
    utimesSync(notMail, monthAgo, monthAgo);
    const failed = await sentMail(`failed-${Date.now()}`, 'session-reminder', {
      courseTitle: 'Kursus',
      when: 'nu',
    });
    await t.db.query(
      `UPDATE outbox_message SET status = 'failed', sent_at = NULL, created_at = now() - interval '60 days'
        WHERE id = $1`,
      [failed.id],
    );

    expect((await t.app.get(MailRetention).purge()).messages).toBe(0);
    expect((await row(failed.id)).text_body).not.toBe('');
    expect(existsSync(notMail)).toBe(true);
  });
});
