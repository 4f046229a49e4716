import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** An iPhone-sized window: the width the staff pages are made to fit. */
const PHONE = { width: 390, height: 844 };

/** Ids of the records the pages below show, made once for the block. */
interface Records {
  volunteerId: string;
  courseId: string;
  sessionId: string;
  userId: string;
  /** Someone waiting for a course, with a home visit planned. */
  waitingId: string;
  visitId: string;
  /** A withdrawn volunteer: the closed record and its reactivation. */
  closedId: string;
  branchCode: string;
  /** A file on the session's page, whose deletion asks first. */
  materialId: string;
}

/**
 * Every staff page, in the order a coordinator meets them; `admin` pages only for the
 * administrator. `shot` names the pages whose screenshot (with axe) is kept. A new page is
 * one line here.
 */
const STAFF_PAGES: { path: (r: Records) => string; admin?: true; shot?: string }[] = [
  { path: () => '/staff', shot: 'i11-60-phone-dashboard' },
  { path: () => '/staff/volunteers', shot: 'i11-61-phone-volunteers' },
  { path: () => '/staff/pool', shot: 'i11-62-phone-pool' },
  { path: (r) => `/staff/volunteers/${r.volunteerId}`, shot: 'i11-63-phone-volunteer-record' },
  { path: () => '/staff/courses', shot: 'i11-64-phone-courses' },
  { path: (r) => `/staff/courses/${r.courseId}`, shot: 'i11-65-phone-course' },
  { path: (r) => `/staff/sessions/${r.sessionId}`, shot: 'i11-66-phone-session-attendance' },
  { path: (r) => `/staff/courses/${r.courseId}/cancel` },
  { path: (r) => `/staff/courses/${r.courseId}/attendance`, shot: 'i11-80-phone-attendance-grid' },
  { path: (r) => `/staff/courses/${r.courseId}/print/attendance` },
  { path: (r) => `/staff/courses/${r.courseId}/print/participants` },
  { path: (r) => `/staff/volunteers/${r.volunteerId}/withdraw` },
  { path: (r) => `/staff/volunteers/${r.volunteerId}/export` },
  { path: (r) => `/staff/volunteers/${r.volunteerId}/erase` },
  { path: (r) => `/staff/volunteers/${r.waitingId}/home-visits/${r.visitId}/decline` },
  { path: (r) => `/staff/volunteers/${r.waitingId}/home-visits/${r.visitId}/cancel` },
  { path: (r) => `/staff/volunteers/${r.closedId}`, shot: 'i11-81-phone-closed-record' },
  { path: (r) => `/staff/volunteers/${r.closedId}/reactivate` },
  { path: () => '/staff/courses/new', shot: 'i11-67-phone-new-course' },
  { path: (r) => `/staff/materials/${r.materialId}/delete`, shot: 'i13-90-phone-material-delete' },
  { path: () => '/staff/my-sessions' },
  { path: () => '/staff/evaluations' },
  { path: () => '/staff/reports/year', shot: 'i15-phone-year-figures' },
  { path: () => '/staff/account' },
  { path: () => '/staff/imports' },
  { path: () => '/staff/curriculum', admin: true, shot: 'i11-68-phone-curriculum' },
  { path: () => '/staff/materials', admin: true, shot: 'i13-91-phone-materials' },
  { path: () => '/staff/requirements', admin: true, shot: 'i15-90-phone-requirements' },
  { path: () => '/staff/branches', admin: true },
  { path: (r) => `/staff/branches/${r.branchCode}`, admin: true },
  { path: (r) => `/staff/branches/${r.branchCode}/deaktiver`, admin: true },
  { path: (r) => `/staff/users/${r.userId}/deaktiver`, admin: true },
  { path: () => '/staff/users', admin: true, shot: 'i11-69-phone-users' },
  { path: (r) => `/staff/users/${r.userId}`, admin: true },
  { path: () => '/staff/outbox?status=sent', admin: true, shot: 'i11-70-phone-outbox' },
];

/**
 * How far the page reaches past the window's right edge, and what sticks out most. A
 * string, as it runs in the page: the test code is compiled without the DOM's types.
 */
const OVERFLOW = `(() => {
  const view = window.innerWidth;
  let widest = '';
  let widestRight = view;
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > widestRight) {
      widestRight = right;
      widest = el.tagName.toLowerCase() + '.' + el.className;
    }
  }
  return {
    document: document.documentElement.scrollWidth - view,
    body: document.body.scrollWidth - view,
    widest,
  };
})()`;

function overflowOf(page: Page) {
  return page.evaluate<{ document: number; body: number; widest: string }>(OVERFLOW);
}

describe('the staff pages on a phone (390 px)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let records: Records;
  let coordinatorEmail: string;

  inBrowser(async (session) => {
    ({ t, baseUrl, browser } = session);
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    coordinatorEmail = coordinator.email;
    const as = (method: 'post' | 'put', path: string, body: object) =>
      request(t.http)[method](path).auth(coordinator.token, { type: 'bearer' }).send(body);

    // A volunteer who went the whole way: visit, certificate, a course attended; with a
    // long e-mail address, the kind that pushes a table cell wide.
    const volunteer = await factory.apply({
      branchCode,
      firstName: 'Marie-Louise',
      lastName: 'Østergaard-Christiansen',
      email: `marie-louise.oestergaard-christiansen.${Date.now()}@eksempel-kommune.dk`,
    });
    const today = DateTime.now().setZone('Europe/Copenhagen');
    const visit = await as('post', `/api/v1/volunteers/${volunteer.id}/home-visits`, {
      scheduledAt: today.minus({ days: 2 }).toISO(),
    }).expect(201);
    await as('post', `/api/v1/home-visits/${visit.body.id}/outcome`, {
      outcome: 'approved',
    }).expect(200);
    await as('post', `/api/v1/volunteers/${volunteer.id}/attestations`, {
      receivedOn: today.minus({ days: 5 }).toISODate(),
      result: 'clean',
    }).expect(201);
    const done = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forberedende kursus for nye familievenner, efterår',
      sessions: fullCourseSessions(-8),
    });
    await as('post', `/api/v1/courses/${done.id}/bookings`, { volunteerId: volunteer.id }).expect(
      201,
    );
    for (const s of done.sessions) {
      await as('put', `/api/v1/sessions/${s.id}/attendance`, {
        records: [{ volunteerId: volunteer.id, present: true }],
      }).expect(200);
    }
    const waiting = await factory.apply({ branchCode, firstName: 'Søren', lastName: 'Venter' });
    const coming = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(5),
    });
    await as('post', `/api/v1/courses/${coming.id}/bookings`, { volunteerId: waiting.id }).expect(
      201,
    );
    const plannedVisit = await as('post', `/api/v1/volunteers/${waiting.id}/home-visits`, {
      scheduledAt: today.plus({ days: 3 }).toISO(),
    }).expect(201);
    const closed = await factory.apply({ branchCode, firstName: 'Lise', lastName: 'Udmeldt' });
    await as('post', `/api/v1/volunteers/${closed.id}/withdraw`, { reason: 'Flytter' }).expect(200);
    const [user] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE email = $1',
      [coordinator.email],
    );
    const material = await request(t.http)
      .post('/api/v1/materials')
      .auth(coordinator.token, { type: 'bearer' })
      .field('title', 'Vejbeskrivelse til Frivillighuset med parkering og cykelstativer')
      .field('sessionId', done.sessions[0].id)
      .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'vej.pdf')
      .expect(201);
    records = {
      materialId: (material.body as { id: string }).id,
      volunteerId: volunteer.id,
      courseId: done.id,
      sessionId: done.sessions[0].id,
      userId: user.id,
      waitingId: waiting.id,
      visitId: (plannedVisit.body as { id: string }).id,
      closedId: closed.id,
      branchCode,
    };
  });

  const visitEvery = async (who: 'coordinator' | 'admin') => {
    const context: BrowserContext = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    if (who === 'admin') {
      await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    } else {
      await signIn(page, baseUrl, coordinatorEmail, COORDINATOR_PASSWORD);
    }
    const wide: { path: string; document: number; body: number; widest: string }[] = [];
    for (const entry of STAFF_PAGES.filter((p) => who === 'admin' || !p.admin)) {
      const path = entry.path(records);
      const res = await page.goto(`${baseUrl}${path}`);
      expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
      const overflow = await overflowOf(page);
      if (overflow.document > 0 || overflow.body > 0) {
        wide.push({ path, ...overflow });
      }
      if (entry.shot && (who === 'coordinator' || entry.admin)) {
        await checkPage(page, entry.shot);
      }
    }
    await context.close();
    return wide;
  };

  // Some thirty pages, a dozen with axe and a screenshot: more than the default two
  // minutes on a busy machine.
  const EVERY_PAGE_MS = 300_000;

  it(
    'should show every staff page to a coordinator without sideways scrolling',
    async () => {
      expect(await visitEvery('coordinator')).toEqual([]);
    },
    EVERY_PAGE_MS,
  );

  it(
    'should show every staff page to an administrator without sideways scrolling',
    async () => {
      expect(await visitEvery('admin')).toEqual([]);
    },
    EVERY_PAGE_MS,
  );

  it('should stack a table row so the stage and the attendance link stay in view', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, baseUrl, coordinatorEmail, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers`);
    const row = page.getByRole('row', { name: /Marie-Louise/ });
    const stage = row.getByRole('cell', { name: /Klar til match/ });
    expect(await stage.isVisible()).toBe(true);
    expect(await stage.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.goto(`${baseUrl}/staff/courses/${records.courseId}`);
    const link = page.getByRole('link', { name: /Fremmøde og ændringer/ }).first();
    expect(await link.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(
      PHONE.width,
    );
    // The funnel's labels are page text, not a drawing scaled down to 6 px.
    await page.goto(`${baseUrl}/staff`);
    const label = page.locator('.funnel-label').first();
    await label.waitFor();
    const fontSize = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('.funnel-label')).fontSize",
    );
    expect(parseFloat(fontSize)).toBeGreaterThanOrEqual(14);
    await context.close();
  });
});
