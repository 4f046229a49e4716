import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../app';
import { createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * The administrator's pages that had no axe check: each opened as an administrator,
 * screenshot kept, and 0 serious or critical axe violations.
 */
describe("the administrator's pages, with axe", () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let sessionId: string;
  let userId: string;

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(9),
    });
    sessionId = course.sessions[0].id;
    const [user] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE email = $1',
      [coordinator.email],
    );
    userId = user.id;
    await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  const pages: [string, () => string][] = [
    ['i11-71-admin-new-course', () => '/staff/courses/new'],
    ['i11-72-admin-session-edit', () => `/staff/sessions/${sessionId}`],
    ['i11-73-admin-curriculum', () => '/staff/curriculum'],
    ['i11-74-admin-branches', () => '/staff/branches'],
    ['i11-75-admin-users', () => '/staff/users'],
    ['i11-76-admin-user', () => `/staff/users/${userId}`],
    ['i11-77-admin-outbox', () => '/staff/outbox'],
    ['i11-78-admin-account', () => '/staff/account'],
  ];

  it.each(pages)('should have no serious axe violation on %s', async (name, path) => {
    const res = await page.goto(`${baseUrl}${path()}`);
    expect(res?.status()).toBe(200);
    await checkPage(page, name);
  });

  it('should have no serious axe violation on the new-course form sent empty', async () => {
    await page.goto(`${baseUrl}/staff/courses/new`);
    await page.getByRole('button', { name: /Opret kursus/ }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBeGreaterThan(0);
    await checkPage(page, 'i11-79-admin-new-course-errors');
  });
});
