import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, type SessionPlan } from './factories';

/**
 * 17:00 Copenhagen on the Thursdays before and after each daylight-saving change of next
 * year (clocks change on the last Sunday of March and of October): always ahead of today.
 */
const DST_YEAR = DateTime.now().year + 1;
const lastSunday = (month: number) => {
  const last = DateTime.fromObject(
    { year: DST_YEAR, month, day: 1, hour: 17 },
    { zone: 'Europe/Copenhagen' },
  ).endOf('month');
  return last
    .minus({ days: last.weekday % 7 })
    .set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
};
const AROUND_DST = [3, 10].flatMap((month) => [
  lastSunday(month).minus({ days: 3 }).toISO()!, // Thursday before
  lastSunday(month).plus({ days: 4 }).toISO()!, // Thursday after
]);
const TOPICS = [['frameworks', 'relations'], ['boundaries'], ['uncrc'], ['child_safety']];

const sessionsAroundDst = (): SessionPlan[] =>
  AROUND_DST.map((startsAt, i) => ({
    startsAt,
    endsAt: DateTime.fromISO(startsAt, { setZone: true }).plus({ hours: 3 }).toISO()!,
    location: `Frivillighuset, lokale ${i + 1}`,
    topics: TOPICS[i],
  }));

const eventsOf = (text: string): VEvent[] =>
  Object.values(ical.sync.parseICS(text))
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .sort((a, b) => a.start.getTime() - b.start.getTime());

const copenhagen = (date: Date) => DateTime.fromJSDate(date).setZone('Europe/Copenhagen');

describe('calendars', () => {
  let t: TestApp;
  let factory: Factory;
  let token: string;
  let branchCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    token = (await factory.coordinator(branchCode)).token;
  });
  afterAll(() => t.close());

  const book = (courseId: string, volunteerId: string) =>
    request(t.http)
      .post(`/api/v1/courses/${courseId}/bookings`)
      .auth(token, { type: 'bearer' })
      .send({ volunteerId })
      .expect(201);

  it('should keep a 17:00 session at 17:00 local across both daylight-saving changes', async () => {
    const course = await createCourse(t, token, {
      branchCode,
      sessions: sessionsAroundDst(),
      title: 'Efterårskursus',
    });
    const res = await request(t.http).get(`/api/v1/courses/${course.id}/calendar.ics`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.text).toContain('BEGIN:VTIMEZONE');
    expect(res.text).toContain('TZID:Europe/Copenhagen');
    expect(res.text).toContain(
      `DTSTART;TZID=Europe/Copenhagen:${DateTime.fromISO(AROUND_DST[0], { setZone: true }).toFormat("yyyyMMdd'T'HHmmss")}`,
    );

    const events = eventsOf(res.text);
    expect(events).toHaveLength(4);
    for (const [i, event] of events.entries()) {
      expect(copenhagen(event.start).toFormat('HH:mm')).toBe('17:00');
      expect(copenhagen(event.end!).toFormat('HH:mm')).toBe('20:00');
      expect(event.start.toISOString()).toBe(new Date(AROUND_DST[i]).toISOString());
      expect(event.location).toBe(`Frivillighuset, lokale ${i + 1}`);
      expect(event.summary).toBe('Efterårskursus');
      expect(event.uid).toBe(`${course.sessions[i].id}@klar`);
    }
    expect(events[0].description).toBe(
      'Forberedende kursus. Emner: Rammer, principper og praksis, Relationer, værdier, netværk, engagement og involvering\n\nDin personlige side / Your personal page: http://klar.test/v',
    );
    // URL;VALUE=URI parses as { params, val }
    expect(events[0].url).toMatchObject({ val: 'http://klar.test/v' });
  });

  it("should serve the volunteer's booked sessions, stable, cheap to re-fetch and updated on change", async () => {
    const course = await createCourse(t, token, {
      branchCode,
      sessions: sessionsAroundDst(),
      capacity: 1,
    });
    const [volunteer, waiting] = await Promise.all([
      factory.apply({ branchCode }),
      factory.apply({ branchCode }),
    ]);
    await book(course.id, volunteer.id);
    await book(course.id, waiting.id);

    const feedOf = async (portalToken: string) =>
      (await request(t.http).get('/api/v1/me').auth(portalToken, { type: 'bearer' }).expect(200))
        .body.calendarUrl as string;
    const url = await feedOf(volunteer.portalToken);
    expect(await feedOf(volunteer.portalToken)).toBe(url);

    const probe = t.queryLog.probe();
    const first = await request(t.http).get(url).set(probe.headers).expect(200);
    expect(probe.queries()).toHaveLength(1);
    const uids = eventsOf(first.text).map((e) => e.uid);
    expect(uids).toEqual(course.sessions.map((s) => `${s.id}@klar`));

    const again = await request(t.http).get(url).expect(200);
    expect(again.text).toBe(first.text);
    expect(first.headers.etag).toEqual(expect.any(String));
    await request(t.http).get(url).set('If-None-Match', first.headers.etag).expect(304);

    // The waitlisted volunteer's feed holds nothing yet.
    const waitingFeed = await request(t.http)
      .get(await feedOf(waiting.portalToken))
      .expect(200);
    expect(eventsOf(waitingFeed.text)).toEqual([]);

    await request(t.http)
      .put(`/api/v1/sessions/${course.sessions[1].id}`)
      .auth(token, { type: 'bearer' })
      .send({ location: 'Kulturhuset' })
      .expect(200);
    const changed = await request(t.http)
      .get(url)
      .set('If-None-Match', first.headers.etag)
      .expect(200);
    const moved = eventsOf(changed.text)[1];
    expect(moved).toMatchObject({ uid: uids[1], location: 'Kulturhuset' });
    expect(Number(moved.sequence)).toBe(1);
    expect(Number(eventsOf(changed.text)[0].sequence)).toBe(0);

    // Cancelling the booking empties this feed and fills the promoted volunteer's.
    await request(t.http)
      .delete(`/api/v1/me/bookings/${course.id}`)
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(204);
    expect(eventsOf((await request(t.http).get(url).expect(200)).text)).toEqual([]);
    expect(
      eventsOf(
        (
          await request(t.http)
            .get(await feedOf(waiting.portalToken))
            .expect(200)
        ).text,
      ),
    ).toHaveLength(4);
  });

  it("should answer an unchanged feed 304 from its one query and change the feed's ETag with every change to it", async () => {
    const course = await createCourse(t, token, {
      branchCode,
      sessions: sessionsAroundDst(),
      title: 'Forårskursus',
    });
    const volunteer = await factory.apply({ branchCode });
    await book(course.id, volunteer.id);
    const url = (
      await request(t.http).get('/api/v1/me').auth(volunteer.portalToken, { type: 'bearer' })
    ).body.calendarUrl as string;
    const staff = (req: request.Test) => req.auth(token, { type: 'bearer' });

    let current = await request(t.http).get(url).expect(200);
    expect(current.headers.etag).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{32}"$/);

    /** The current ETag answers 304 with the feed's headers and no body, from one query. */
    const expectUnchanged = async () => {
      const probe = t.queryLog.probe();
      const res = await request(t.http)
        .get(url)
        .set(probe.headers)
        .set('If-None-Match', current.headers.etag)
        .expect(304);
      expect(probe.queries()).toHaveLength(1);
      expect(res.headers.etag).toBe(current.headers.etag);
      expect(res.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
      expect(res.headers['content-disposition']).toBe('inline; filename="klar.ics"');
      expect(res.text ?? '').toBe('');
      // Among other tags, and weak, it still matches; a foreign tag does not.
      await request(t.http)
        .get(url)
        .set('If-None-Match', `"other", W/${current.headers.etag}`)
        .expect(304);
      await request(t.http).get(url).set('If-None-Match', '"other"').expect(200);
    };
    /** After a change the old ETag gets 200, a new body and a new ETag. */
    const expectChanged = async () => {
      const res = await request(t.http)
        .get(url)
        .set('If-None-Match', current.headers.etag)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{32}"$/);
      expect(res.headers.etag).not.toBe(current.headers.etag);
      expect(res.text).not.toBe(current.text);
      current = res;
      await expectUnchanged();
      return eventsOf(res.text);
    };
    await expectUnchanged();

    // A session moved a day later.
    const movedTo = DateTime.fromISO(AROUND_DST[1], { setZone: true }).plus({ days: 1 });
    await staff(request(t.http).put(`/api/v1/sessions/${course.sessions[1].id}`))
      .send({ startsAt: movedTo.toISO(), endsAt: movedTo.plus({ hours: 3 }).toISO() })
      .expect(200);
    expect((await expectChanged())[1].start.toISOString()).toBe(movedTo.toJSDate().toISOString());

    // A session cancelled.
    await staff(request(t.http).post(`/api/v1/sessions/${course.sessions[2].id}/cancel`)).expect(
      200,
    );
    expect((await expectChanged())[2]).toMatchObject({
      uid: `${course.sessions[2].id}@klar`,
      status: 'CANCELLED',
    });

    // A session added.
    const added = DateTime.fromISO(AROUND_DST[3], { setZone: true }).plus({ days: 7 });
    await staff(request(t.http).post(`/api/v1/courses/${course.id}/sessions`))
      .send({
        startsAt: added.toISO(),
        endsAt: added.plus({ hours: 3 }).toISO(),
        location: 'Frivillighuset, lokale 5',
        topics: ['uncrc'],
      })
      .expect(201);
    expect(await expectChanged()).toHaveLength(5);

    // The course renamed.
    await staff(request(t.http).patch(`/api/v1/courses/${course.id}`))
      .send({ title: 'Sommerkursus' })
      .expect(200);
    expect((await expectChanged()).map((e) => e.summary)).toEqual(Array(5).fill('Sommerkursus'));

    // The volunteer's language changed (no route changes it after the application).
    await t.db.query(`UPDATE volunteer SET locale = 'en' WHERE id = $1`, [volunteer.id]);
    const english = await expectChanged();
    expect(current.text).toContain('X-WR-CALNAME:My preparatory course');
    expect(english[0].description).toMatch(/^Preparatory course\. Topics: Frameworks/);

    // The booking cancelled.
    await request(t.http)
      .delete(`/api/v1/me/bookings/${course.id}`)
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(204);
    expect(await expectChanged()).toEqual([]);
  });

  it('should kill the old feed link when the volunteer renews it', async () => {
    const volunteer = await factory.apply({ branchCode });
    const me = await request(t.http)
      .get('/api/v1/me')
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(200);
    const old = me.body.calendarUrl as string;
    await request(t.http).get(old).expect(200);
    const renewed = await request(t.http)
      .post('/api/v1/me/calendar-link')
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(201);
    expect(renewed.body.calendarUrl).not.toBe(old);
    await request(t.http).get(old).expect(404);
    await request(t.http).get(renewed.body.calendarUrl).expect(200);
    const after = await request(t.http)
      .get('/api/v1/me')
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(200);
    expect(after.body.calendarUrl).toBe(renewed.body.calendarUrl);
    const stored = await t.db.query<{ token_hash: string }[]>(
      'SELECT token_hash FROM calendar_feed WHERE volunteer_id = $1',
      [volunteer.id],
    );
    expect(stored.map((r) => r.token_hash)).not.toContain(renewed.body.calendarUrl.slice(10, -4));
  });

  it('should serve one session, and a cancelled one with METHOD:CANCEL', async () => {
    const course = await createCourse(t, token, { branchCode, sessions: sessionsAroundDst() });
    const sessionId = course.sessions[2].id;
    const single = await request(t.http)
      .get(`/api/v1/sessions/${sessionId}/calendar.ics`)
      .expect(200);
    expect(single.text).toContain('METHOD:PUBLISH');
    expect(eventsOf(single.text).map((e) => e.uid)).toEqual([`${sessionId}@klar`]);
    await request(t.http)
      .post(`/api/v1/sessions/${sessionId}/cancel`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const cancelled = await request(t.http)
      .get(`/api/v1/sessions/${sessionId}/calendar.ics`)
      .expect(200);
    expect(cancelled.text).toContain('METHOD:CANCEL');
    expect(cancelled.text).toContain('STATUS:CANCELLED');
    expect(Number(eventsOf(cancelled.text)[0].sequence)).toBe(1);
  });

  it('should answer 404 for unknown calendars and 400 for a malformed id', async () => {
    await request(t.http).get('/calendar/not-a-real-feed-token-at-all.ics').expect(404);
    await request(t.http)
      .get('/api/v1/courses/00000000-0000-4000-8000-000000000000/calendar.ics')
      .expect(404);
    await request(t.http).get('/api/v1/courses/xyz/calendar.ics').expect(400);
  });
});
