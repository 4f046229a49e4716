import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import ical, { type CalendarComponent, type VEvent } from 'node-ical';
import request from 'supertest';
import { NotificationScheduler } from '../src/notifications/notification.scheduler';
import { OutboxWorker } from '../src/notifications/outbox.worker';
import { ReadinessService } from '../src/readiness/readiness.service';
import { createTestApp, type TestApp } from './app';
import {
  applicationBody,
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
} from './factories';
import {
  addressesIn,
  INJECTIONS,
  markdownIn,
  markupOf,
  PATH_TEMPLATES,
  targetsOf,
} from './mail-markup';
import { outboxIdOf } from './smtp';
import { instantFromToday } from './dates';

/** The fields of Klar that people name things in, and that mails quote. */
interface Names {
  firstName: string;
  lastName: string;
  courseTitle: string;
  location: string;
  branchName: string;
  staffName: string;
}

const PLAIN: Names = {
  firstName: 'Maja',
  lastName: 'Sørensen',
  courseTitle: 'Forårskursus',
  location: 'Frivillighuset',
  branchName: 'Home-Start Nord',
  staffName: 'Karen Koordinator',
};

interface SentMail {
  template: string;
  /** Who it went to: `coordinator` or the applicant's part in the scenario. */
  to: 'coordinator' | 'anna' | 'bo' | 'cille';
  mail: ParsedMail;
}

const unique = () => randomBytes(4).toString('hex');

/** The whole path once, in a branch of its own, with `names` everywhere a name goes. */
async function sendEveryKindOfMail(t: TestApp, factory: Factory, names: Names) {
  const before = new Set(
    (await t.db.query<{ id: string }[]>('SELECT id FROM outbox_message')).map((r) => r.id),
  );
  const admin = await factory.admin();
  const branchCode = `b-${unique()}`;
  await request(t.http)
    .post('/api/v1/branches')
    .auth(admin, { type: 'bearer' })
    .send({ code: branchCode, name: names.branchName })
    .expect(201);
  const coordinatorEmail = `koordinator.${unique()}@test.klar`;
  await request(t.http)
    .post('/api/v1/users')
    .auth(admin, { type: 'bearer' })
    .send({
      email: coordinatorEmail,
      name: names.staffName,
      role: 'coordinator',
      branchCode,
      password: COORDINATOR_PASSWORD,
    })
    .expect(201);
  const token = await factory.login(coordinatorEmail, COORDINATOR_PASSWORD);
  const staff = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const person = { branchCode, firstName: names.firstName, lastName: names.lastName };

  const anna = await factory.apply({ ...person, locale: 'en' });
  await request(t.http)
    .post('/api/v1/applications')
    .send(applicationBody({ ...person, email: anna.email }))
    .expect(202);
  const bo = await factory.apply(person);
  await staff(request(t.http).post(`/api/v1/volunteers/${anna.id}/home-visits`))
    .send({ scheduledAt: instantFromToday(100) })
    .expect(201);

  // One seat from tomorrow: Anna booked, Bo waiting, then moved up; a session moved, one cancelled.
  const sessions = fullCourseSessions(1).map((s) => ({ ...s, location: names.location }));
  const course = await createCourse(t, token, {
    branchCode,
    capacity: 1,
    sessions,
    title: names.courseTitle,
  });
  await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
    .send({ volunteerId: anna.id })
    .expect(201);
  await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
    .send({ volunteerId: bo.id })
    .expect(201);
  await staff(request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${anna.id}`)).expect(
    204,
  );
  const moved = sessions[2];
  await staff(request(t.http).put(`/api/v1/sessions/${course.sessions[2].id}`))
    .send({
      startsAt: DateTime.fromISO(moved.startsAt).plus({ hours: 1 }).toISO(),
      endsAt: DateTime.fromISO(moved.endsAt).plus({ hours: 1 }).toISO(),
    })
    .expect(200);
  await staff(request(t.http).post(`/api/v1/sessions/${course.sessions[3].id}/cancel`)).expect(200);
  await t.app.get(NotificationScheduler).queueSessionReminders();

  // Cille becomes ready on a certificate close to expiry, is warned, then loses the mark.
  const cille = await factory.apply(person);
  const visit = await staff(request(t.http).post(`/api/v1/volunteers/${cille.id}/home-visits`))
    .send({ scheduledAt: instantFromToday(-85, 10) })
    .expect(201);
  await staff(request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`))
    .send({ outcome: 'approved' })
    .expect(200);
  await staff(request(t.http).post(`/api/v1/volunteers/${cille.id}/attestations`))
    .send({
      receivedOn: DateTime.now().setZone('Europe/Copenhagen').minus({ months: 23 }).toISODate(),
      result: 'clean',
    })
    .expect(201);
  const held = await createCourse(t, token, {
    branchCode,
    title: names.courseTitle,
    sessions: fullCourseSessions(-10).map((s) => ({ ...s, location: names.location })),
  });
  await staff(request(t.http).post(`/api/v1/courses/${held.id}/bookings`))
    .send({ volunteerId: cille.id })
    .expect(201);
  for (const session of held.sessions) {
    await staff(request(t.http).put(`/api/v1/sessions/${session.id}/attendance`))
      .send({ records: [{ volunteerId: cille.id, present: true }] })
      .expect(200);
  }
  await t.app.get(NotificationScheduler).queueExpiringCertificates();
  await t.db.query(
    `UPDATE attestation SET received_on = received_on - interval '2 months' WHERE volunteer_id = $1`,
    [cille.id],
  );
  await t.app.get(ReadinessService).refreshLapsed();

  const rows = (
    await t.db.query<{ id: string; template: string; recipient: string }[]>(
      'SELECT id, template, recipient FROM outbox_message ORDER BY created_at',
    )
  ).filter((r) => !before.has(r.id));
  const who = new Map<string, SentMail['to']>([
    [coordinatorEmail, 'coordinator'],
    [anna.email, 'anna'],
    [bo.email, 'bo'],
    [cille.email, 'cille'],
  ]);
  await t.app.get(OutboxWorker).drain();
  const sent: SentMail[] = [];
  for (const row of rows) {
    const mail = await t.mail.waitFor(row.recipient, (m) => outboxIdOf(m) === row.id);
    sent.push({ template: row.template, to: who.get(row.recipient)!, mail });
  }
  return sent;
}

const markupKey = (m: SentMail) => `${m.template} to ${m.to}`;

const eventsOf = (components: (CalendarComponent | undefined)[]) =>
  components.filter((c): c is VEvent => c?.type === 'VEVENT');

const parseIcs = (text: string) => Object.values(ical.sync.parseICS(text));

describe('mail that anyone can shape', () => {
  let t: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
  });
  afterAll(() => t.close());

  describe('emails', () => {
    /** The markup each kind of mail has with ordinary names: all a mail may have. */
    const plainMarkup = new Map<string, Set<string>>();
    let plainSent: SentMail[] = [];

    beforeAll(async () => {
      plainSent = await sendEveryKindOfMail(t, factory, PLAIN);
      for (const sent of plainSent) {
        const known = plainMarkup.get(markupKey(sent)) ?? new Set();
        known.add(JSON.stringify(markupOf(String(sent.mail.html))));
        plainMarkup.set(markupKey(sent), known);
      }
    });

    it('should write no numbered list and no Markdown marks with ordinary names either', () => {
      expect([...plainMarkup.keys()].map((k) => k.split(' ')[0]).sort()).toEqual(
        expect.arrayContaining(PATH_TEMPLATES),
      );
      for (const [key, shapes] of plainMarkup) {
        for (const shape of shapes) {
          expect({ key, ol: shape.includes('"ol') }).toEqual({ key, ol: false });
        }
      }
      for (const { template, to, mail } of plainSent) {
        const where = `${template} to ${to}`;
        expect({ where, markdown: markdownIn(mail.text ?? '', []) }).toEqual({
          where,
          markdown: [],
        });
      }
    });

    it.each(INJECTIONS)(
      'should keep %s as text in every mail when every name-like field holds it',
      async (value) => {
        const names: Names = {
          firstName: value,
          lastName: value,
          courseTitle: value,
          location: value,
          branchName: value,
          staffName: value,
        };
        const sent = await sendEveryKindOfMail(t, factory, names);

        expect([...new Set(sent.map((s) => s.template))].sort()).toEqual(PATH_TEMPLATES);
        for (const { template, to, mail } of sent) {
          const html = String(mail.html);
          const text = mail.text ?? '';
          const where = `${template} to ${to}`;
          // The same tags as the mail with ordinary names (compared with the first when not).
          const markup = JSON.stringify(markupOf(html));
          const plain = [...(plainMarkup.get(where) ?? [])];
          expect({ where, markup: plain.includes(markup) ? plain[0] : markup }).toEqual({
            where,
            markup: plain[0],
          });
          expect({ where, img: html.includes('<img') }).toEqual({ where, img: false });
          expect({
            where,
            targets: targetsOf(html).filter((u) => !u.startsWith('http://klar.test/')),
          }).toEqual({ where, targets: [] });
          expect({ where, markdown: markdownIn(text, [value]) }).toEqual({ where, markdown: [] });
          expect({
            where,
            addresses: addressesIn(text, [value]).filter((u) => !u.startsWith('http://klar.test/')),
          }).toEqual({ where, addresses: [] });
          expect({ where, shown: text.includes(value) && html.includes(value) }).toEqual({
            where,
            shown: true,
          });
        }
      },
    );
  });

  describe('calendars', () => {
    /** A stored text that, written raw, ends its line and adds an event of its own. */
    const injected = (br: string) =>
      [
        'Kursus',
        'BEGIN:VEVENT',
        'UID:evil@x',
        'SUMMARY:Gratis',
        'DTSTART:20270101T100000Z',
        'END:VEVENT',
      ].join(br);
    const flat = injected(' ');

    it.each(['\r\n', '\n', '\r'])(
      'should keep a stored title, location and branch name with line breaks (%j) inside their properties in every calendar',
      async (br) => {
        const branchCode = await factory.branch();
        const coordinator = await factory.coordinator(branchCode);
        const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });
        const course = await createCourse(t, coordinator.token, { branchCode });
        // The API refuses line breaks in these fields; what is already stored must still hold.
        await t.db.query('UPDATE course SET title = $2 WHERE id = $1', [course.id, injected(br)]);
        await t.db.query('UPDATE course_session SET location = $2 WHERE course_id = $1', [
          course.id,
          injected(br),
        ]);
        await t.db.query('UPDATE branch SET name = $2 WHERE code = $1', [branchCode, injected(br)]);
        const sessionUids = course.sessions.map((s) => `${s.id}@klar`);
        const expectCalendar = (text: string, uids: string[], name: string) => {
          const components = parseIcs(text);
          const events = eventsOf(components);
          expect(events.map((e) => e.uid)).toEqual(uids);
          expect(components.find((c) => c?.type === 'VCALENDAR')).toMatchObject({
            'WR-CALNAME': name,
          });
          return events;
        };

        const feed = await request(t.http)
          .get(`/api/v1/courses/${course.id}/calendar.ics`)
          .expect(200);
        for (const event of expectCalendar(feed.text, sessionUids, flat)) {
          expect(event.summary).toBe(flat);
          expect(event.location).toBe(flat);
        }
        const one = await request(t.http)
          .get(`/api/v1/sessions/${course.sessions[0].id}/calendar.ics`)
          .expect(200);
        expectCalendar(one.text, [sessionUids[0]], flat);

        const volunteer = await factory.apply({ branchCode });
        await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
          .send({ volunteerId: volunteer.id })
          .expect(201);
        const me = await request(t.http)
          .get('/api/v1/me')
          .auth(volunteer.portalToken, { type: 'bearer' })
          .expect(200);
        const own = await request(t.http).get(me.body.calendarUrl).expect(200);
        expectCalendar(own.text, sessionUids, 'Mit forberedende kursus');

        const confirmed = await t.mail.waitFor(volunteer.email, (m) =>
          m.attachments.some((a) => a.filename === 'kursus.ics'),
        );
        const attached = confirmed.attachments.find((a) => a.filename === 'kursus.ics')!;
        for (const event of expectCalendar(attached.content.toString(), sessionUids, flat)) {
          expect(event.summary).toBe(flat);
        }
        expect(confirmed.text).toContain(`Du har plads på ${flat}. Kursusgangene:`);

        const visit = await staff(
          request(t.http).post(`/api/v1/volunteers/${volunteer.id}/home-visits`),
        )
          .send({ scheduledAt: instantFromToday(100) })
          .expect(201);
        const visitMail = await t.mail.waitFor(volunteer.email, (m) =>
          m.attachments.some((a) => a.filename === 'hjemmebesoeg.ics'),
        );
        const [visitEvent] = expectCalendar(
          visitMail.attachments[0].content.toString(),
          [`home-visit-${visit.body.id}@klar`],
          'Hjemmebesøg',
        );
        expect(visitEvent.summary).toBe(`Hjemmebesøg fra ${flat}`);
      },
    );
  });
});
