import type { Page } from 'playwright-core';
import type { TestApp } from '../app';
import {
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
  portalTokenIn,
} from '../factories';
import { checkPage, inBrowser } from './browser';

describe('the volunteer path in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  const check = (name: string) => checkPage(page, name);

  it('should take a person from the application form to ready, through the coordinator pages', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const upcoming = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forårets kursus',
      sessions: fullCourseSessions(14),
    });
    const held = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Vinterens kursus',
      sessions: fullCourseSessions(-10),
    });

    // The applicant: front page, form with a course, confirmation.
    await page.goto(`${baseUrl}/`);
    await check('01-front');
    await page.getByRole('link', { name: 'Ansøg', exact: true }).first().click();
    await check('02-application-form');
    await page.getByLabel('Fornavn').fill('Sofie');
    await page.getByLabel('Efternavn').fill('Holm');
    await page.getByLabel('E-mail').fill('sofie.holm@example.org');
    await page.getByLabel('Telefon').fill('+45 20 30 40 50');
    await page.getByLabel('Postnummer').fill('8000');
    await page.getByLabel('Lokalafdeling').selectOption(branchCode);
    await page.getByLabel('Hvorfor vil du være familieven?').fill('Jeg vil gerne give en hånd.');
    await page.getByLabel('Hverdage aften').check();
    await page.getByLabel('Dansk').check();
    await page.locator(`input[name=courseId][value="${upcoming.id}"]`).check();
    await page.getByLabel('Jeg giver samtykke').check();
    await page.getByRole('button', { name: 'Send ansøgning' }).click();
    await page.waitForURL(`${baseUrl}/ansog/tak`);
    await check('03-application-received');

    const mail = await t.mail.waitFor('sofie.holm@example.org');
    const portal = `${baseUrl}/v/${portalTokenIn(mail.text ?? '')}`;
    await page.goto(portal);
    await page.getByText('Forårets kursus').first().waitFor();
    await check('04-personal-page-applied');

    // The coordinator: sign in, find the volunteer, visit, certificate, course, attendance.
    await page.goto(`${baseUrl}/staff`);
    await page.waitForURL(/\/login/);
    await check('05-login');
    await page.getByLabel('E-mail').fill(coordinator.email);
    await page.getByLabel('Adgangskode').fill(COORDINATOR_PASSWORD);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${baseUrl}/staff`);
    await check('06-dashboard');

    await page.getByRole('link', { name: 'Frivillige', exact: true }).click();
    await check('07-volunteers');
    await page.getByRole('link', { name: 'Sofie Holm' }).click();
    await check('08-volunteer-applied');

    await page.getByRole('button', { name: 'Aftal besøg' }).click();
    await page.getByText('Hjemmebesøget er aftalt.').waitFor();
    await check('09-visit-scheduled');
    // The visit is planned a week ahead: recording it now means it was held early.
    await page.getByLabel('Godkendt').check();
    await page.getByLabel('Ja, besøget er holdt').check();
    await page.getByRole('button', { name: 'Gem udfald' }).click();
    await page.getByText('Udfaldet er gemt.').waitFor();

    await page.getByLabel('Ingen anmærkninger').check();
    await page.getByRole('button', { name: 'Gem børneattest' }).click();
    await page.getByText('Børneattesten er gemt.').waitFor();
    await check('10-visit-approved-certificate-clean');

    // Booked on the upcoming course from the application: the page asks before a second.
    await page.getByLabel('Tilmeld kursus').selectOption(held.id);
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    await page.getByLabel('Ja, tilmeld også dette kursus').check();
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    await page.getByText('Tilmeldt kurset.').waitFor();

    await page.goto(`${baseUrl}/staff/courses/${held.id}`);
    await check('11-course');
    for (const [i, session] of held.sessions.entries()) {
      await page.goto(`${baseUrl}/staff/sessions/${session.id}`);
      await page.getByLabel('Sofie Holm').check();
      if (i === 0) {
        await check('12-attendance');
      }
      await page.getByRole('button', { name: 'Gem fremmøde' }).click();
      await page.getByText('Fremmødet er gemt.').waitFor();
    }

    await page.goto(`${baseUrl}/staff/pool`);
    await page.getByRole('link', { name: 'Sofie Holm' }).waitFor();
    await check('13-matchable-pool');

    // Back to the person's own page: every step done.
    await page.goto(portal);
    await page.getByText('Du er klar til at blive matchet med en familie.').waitFor();
    expect(await page.locator('progress').getAttribute('value')).toBe(
      await page.locator('progress').getAttribute('max'),
    );
    await check('14-personal-page-ready');
  });
});
