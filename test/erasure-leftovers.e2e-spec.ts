import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ErasureService } from '../src/privacy/erasure.service';
import { createTestApp, type TestApp } from './app';
import { dateFromToday } from './dates';
import { applicationBody, createCourse, Factory, fullCourseSessions } from './factories';
import { settle } from './links';

/**
 * What erasure must not leave behind, found on review of issue 14: the registers of ended
 * courses, a certificate with entries, working links in an export, the embedded mode's
 * .eml files, and a person the retention job picked but who was reactivated since.
 */
describe('erasure leaves nothing behind', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  const staff = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    request(t.http)[method](path).auth(coordinator.token, { type: 'bearer' });

  it('should drop the person from the lists of an ended course and their certificate with entries, keeping the anonymous seat', async () => {
    const course = await createCourse(t, coordinator.token, { branchCode });
    const person = await factory.apply({ branchCode, lastName: 'Sletmigsen' });
    await staff('post', `/api/v1/courses/${course.id}/bookings`)
      .send({ volunteerId: person.id })
      .expect(201);
    await staff('post', `/api/v1/volunteers/${person.id}/attestations`)
      .send({ receivedOn: dateFromToday(-5), result: 'has_entries' })
      .expect(201);
    // The course is over: its seat is the record of a course taken, and stays.
    await t.db.query(
      `UPDATE course_session SET starts_at = starts_at - interval '60 days', ends_at = ends_at - interval '60 days'
        WHERE course_id = $1`,
      [course.id],
    );
    await t.db.query(
      `INSERT INTO attendance (session_id, volunteer_id, present, recorded_by)
       SELECT s.id, $2, true, (SELECT id FROM staff_user WHERE email = $3)
         FROM course_session s WHERE s.course_id = $1`,
      [course.id, person.id, coordinator.email],
    );
    const before = await staff('get', `/api/v1/courses/${course.id}/participants`).expect(200);
    expect(before.body).toHaveLength(1);

    await staff('delete', `/api/v1/volunteers/${person.id}`).expect(204);

    expect(
      (await staff('get', `/api/v1/courses/${course.id}/participants`).expect(200)).body,
    ).toEqual([]);
    const grid = await staff('get', `/api/v1/courses/${course.id}/attendance`).expect(200);
    expect(grid.body.rows).toEqual([]);
    const kept = await t.db.query<{ seats: number; present: number; certificates: number }[]>(
      `SELECT (SELECT count(*)::int FROM booking WHERE volunteer_id = $1 AND status = 'booked') AS seats,
              (SELECT count(*)::int FROM attendance WHERE volunteer_id = $1) AS present,
              (SELECT count(*)::int FROM attestation WHERE volunteer_id = $1) AS certificates`,
      [person.id],
    );
    expect(kept[0]).toEqual({ seats: 1, present: fullCourseSessions(0).length, certificates: 0 });
  });

  it('should give no working link in an export, and say which consent text was agreed to', async () => {
    const person = await factory.apply({ branchCode });
    await settle(t);
    const exported = await staff('get', `/api/v1/volunteers/${person.id}/export`).expect(200);
    const text = JSON.stringify(exported.body);
    expect(exported.body.emails.length).toBeGreaterThan(0);
    expect(text).not.toContain(person.portalToken);
    expect(text).not.toMatch(/\/v\/[A-Za-z0-9_-]{20,}/);
    expect(exported.body.consent).toEqual({
      givenAt: expect.any(String),
      textVersion: expect.any(String),
      source: 'application',
    });
    const own = await request(t.http)
      .get('/api/v1/me/export')
      .auth(person.portalToken, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(own.body)).not.toContain(person.portalToken);
  });

  it('should not erase, at the end of retention, someone reactivated after the job picked them', async () => {
    const person = await factory.apply({ branchCode });
    await staff('post', `/api/v1/volunteers/${person.id}/withdraw`).send({}).expect(200);
    await staff('post', `/api/v1/volunteers/${person.id}/reactivate`).expect(200);
    const erased = await t.app
      .get(ErasureService)
      .erase(person.id, null, 'retention', null, (v) => v.status !== 'active');
    expect(erased).toBe(false);
    const [row] = await t.db.query<{ status: string; erased: boolean }[]>(
      'SELECT status, erased_at IS NOT NULL AS erased FROM volunteer WHERE id = $1',
      [person.id],
    );
    expect(row).toEqual({ status: 'active', erased: false });
  });
});

describe('erasure in the embedded mode, where mail is written as .eml files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SMTP_URL: '' } });
  });
  afterAll(() => t.close());

  const filesNaming = (needle: string) => {
    const dir = join(t.config.dataDir, 'outbox');
    return readdirSync(dir).filter((f) =>
      readFileSync(join(dir, f), 'utf8')
        .replace(/=\r?\n/g, '') // quoted-printable's soft line breaks
        .toLowerCase()
        .includes(needle.toLowerCase()),
    );
  };

  it('should delete the files of mails to and about the person, the farewell once it is written', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const body = applicationBody({ branchCode, lastName: 'Quarkenbusch' });
    await request(t.http).post('/api/v1/applications').send(body).expect(202);
    await settle(t);
    expect(filesNaming('Quarkenbusch').length).toBeGreaterThanOrEqual(1);
    expect(filesNaming(String(body.email)).length).toBeGreaterThanOrEqual(1);
    const [{ id }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM volunteer WHERE email = $1',
      [body.email],
    );

    await request(t.http)
      .delete(`/api/v1/volunteers/${id}`)
      .auth(coordinator.token, { type: 'bearer' })
      .expect(204);
    await settle(t);
    expect(filesNaming('Quarkenbusch')).toEqual([]);
    expect(filesNaming(String(body.email))).toEqual([]);
  });
});
