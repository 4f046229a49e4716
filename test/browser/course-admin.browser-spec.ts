import type { Page } from 'playwright-core';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * A coordinator runs a course from its page: edits it, cancels a session, and cancels the
 * whole course after being told what will happen. Each page seen in Chromium, with a
 * screenshot and no serious axe violation.
 */
describe('course administration, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });

  const check = (name: string) => checkPage(page, name);

  it('should edit a course, cancel a session and cancel the course after a confirmation', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forårskursus',
      capacity: 1,
    });
    const volunteer = await factory.apply({ branchCode, firstName: 'Ida', lastName: 'Berg' });
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);

    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByLabel('Tilmeld kursus').selectOption(course.id);
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    await page.getByText('Tilmeldt kurset.').waitFor();

    await page.goto(`${baseUrl}/staff/courses/${course.id}`);
    await page.getByText('Ingen på venteliste').waitFor();
    await check('i11-courses-01-course-page');

    // An impossible seat count is refused next to its field, the input kept.
    await page.getByLabel('Pladser').fill('0');
    await page.getByRole('button', { name: 'Gem kurset' }).click();
    await page.locator('.error-summary').waitFor();
    await check('i11-courses-02-edit-refused');

    await page.getByLabel('Titel').fill('Efterårskursus');
    await page.getByLabel('Pladser').fill('10');
    await page.getByLabel('Sted for nye kursusgange').fill('Kulturhuset');
    await page.getByRole('button', { name: 'Gem kurset' }).click();
    await page.getByText('Kurset er ændret.').waitFor();
    await page.getByRole('heading', { name: 'Efterårskursus', level: 1 }).waitFor();
    expect(await page.getByLabel('Sted for nye kursusgange').inputValue()).toBe('Kulturhuset');

    await page
      .getByRole('link', { name: /Fremmøde og ændringer/ })
      .nth(1)
      .click();
    await page.getByRole('button', { name: 'Aflys kursusgangen' }).click();
    await page.getByText('Kursusgangen er aflyst, og deltagerne har fået besked.').waitFor();
    await check('i11-courses-03-session-cancelled');

    await page.goto(`${baseUrl}/staff/courses/${course.id}`);
    await page.getByRole('link', { name: 'Aflys kurset …' }).click();
    await page.getByText('1 tilmeldte og 0 på ventelisten får en e-mail').waitFor();
    await check('i11-courses-04-cancel-confirmation');
    await page.getByRole('button', { name: 'Ja, aflys kurset' }).click();
    await page.getByText('Kurset er aflyst, og deltagerne har fået besked.').waitFor();
    expect(await page.getByRole('heading', { name: 'Ret kursus' }).count()).toBe(0);
    await check('i11-courses-05-course-cancelled');

    const mails = await t.db.query<{ template: string }[]>(
      'SELECT template FROM outbox_message WHERE recipient = $1',
      [volunteer.email],
    );
    expect(mails.map((m) => m.template)).toEqual(
      expect.arrayContaining(['session-cancelled', 'course-cancelled']),
    );
  });
});
