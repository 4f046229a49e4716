import type { Page } from 'playwright-core';
import { PortalLinks } from '../../src/portal/portal-links';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * The pages that ask before recording something after the fact, and the personal page's
 * states that depend on time: each seen in Chromium, with a screenshot and no serious
 * axe violation.
 */
describe('questions before the after-the-fact, in a browser', () => {
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

  it('should ask whether an early visit was held, and whether a past course was held', async () => {
    const volunteer = await factory.apply({ branchCode, firstName: 'Ida', lastName: 'Berg' });
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);

    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByRole('button', { name: 'Aftal besøg' }).click();
    await page.getByText('Hjemmebesøget er aftalt.').waitFor();
    await page.getByLabel('Godkendt').check();
    await page.getByRole('button', { name: 'Gem udfald' }).click();
    await page.locator('.has-error').first().waitFor();
    await page.locator('legend', { hasText: 'Er besøget allerede holdt?' }).waitFor();
    expect(await page.getByLabel('Godkendt').isChecked()).toBe(true);
    await check('i10-01-visit-held-question');

    // No title and a session that ends before it starts: both are told at once.
    await page.goto(`${baseUrl}/staff/courses/new`);
    await page.getByLabel('Titel').fill('');
    const session = page.locator('fieldset').filter({ hasText: 'Kursusgang 1' });
    const inAMonth = new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10);
    await session.getByLabel('Starter').fill(`${inAMonth}T18:00`);
    await session.getByLabel('Slutter').fill(`${inAMonth}T16:00`);
    await session.getByLabel('Sted').fill('Frivillighuset');
    await session.getByLabel('Grænser').check();
    await page.getByRole('button', { name: 'Opret kursus' }).click();
    await page.locator('.error').first().waitFor();
    expect(await page.locator('.error-summary li').count()).toBeGreaterThanOrEqual(2);
    await check('i10-02-course-form-all-errors');
  });

  it('should ask on the staff page before a second course, and the volunteer sees no cancel on a course under way', async () => {
    const underWay = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Kursus i gang',
      sessions: fullCourseSessions(-1),
    });
    const upcoming = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Kommende kursus',
      sessions: fullCourseSessions(20),
    });
    const volunteer = await factory.apply({ branchCode, firstName: 'Emil', lastName: 'Dahl' });
    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByLabel('Tilmeld kursus').selectOption(underWay.id);
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    await page.getByText('Tilmeldt kurset.').waitFor();
    await page.getByLabel('Tilmeld kursus').selectOption(upcoming.id);
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    await page.getByLabel('Ja, tilmeld også dette kursus').waitFor();
    await check('i10-03-second-course-question');

    // A second personal link, whose calendar feed the first link then renews away.
    const other = await t.db.transaction((em) => t.app.get(PortalLinks).mint(em, volunteer.id));
    await page.goto(`${baseUrl}/v/${volunteer.portalToken}`);
    await page.getByRole('button', { name: 'Nyt kalenderlink' }).click();
    await page.goto(`${baseUrl}/v/${other}`);
    await page.getByText('Kurset er begyndt; vil du afmelde dig').waitFor();
    await page.getByText('Du har plads på et kursus, der ikke er slut').waitFor();
    // Afmeld is a link to the confirmation page now; neither kind may be offered here.
    expect(await page.getByRole('link', { name: /Afmeld/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Afmeld/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Lav kalenderlink' }).waitFor();
    await check('i10-04-personal-page-course-under-way');
  });
});
