import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { dateFromToday, instantFromToday } from '../dates';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, screenshot, signIn } from './browser';

/**
 * A coordinator takes attendance for a whole course in one grid, adds a make-up from
 * another course, adds a session from the course page, and prints the sheets. Each page
 * seen in Chromium, with a screenshot and no serious axe violation.
 */
describe('attendance register, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    // Many steps on one shared, often busy machine: a slow answer is not a failure.
    page.setDefaultTimeout(90_000);
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });

  const check = (name: string) => checkPage(page, name);
  const book = (courseId: string, volunteerId: string) =>
    request(t.http)
      .post(`/api/v1/courses/${courseId}/bookings`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ volunteerId })
      .expect(201);

  it('should take attendance in the grid, add a make-up and a session, and print the sheets', async () => {
    // Two sessions held, two ahead.
    const sessions = fullCourseSessions(5).map((s, i) =>
      i < 2
        ? { ...s, startsAt: instantFromToday(i - 3, 17), endsAt: instantFromToday(i - 3, 22) }
        : s,
    );
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Efterårskursus',
      sessions,
    });
    const other = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forårskursus',
      sessions: fullCourseSessions(30),
    });
    await request(t.http)
      .patch(`/api/v1/courses/${course.id}`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ location: 'Kulturhuset, Vestergade 3' })
      .expect(200);
    const mette = await factory.apply({ branchCode, firstName: 'Mette', lastName: 'Hansen' });
    const ida = await factory.apply({ branchCode, firstName: 'Ida', lastName: 'Berg' });
    const ole = await factory.apply({ branchCode, firstName: 'Ole', lastName: 'Holm' });
    await book(course.id, mette.id);
    await book(course.id, ida.id);
    await book(other.id, ole.id);
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);

    await page.goto(`${baseUrl}/staff/courses/${course.id}`);
    await page.getByRole('link', { name: 'Fremmøde for hele kurset' }).click();
    await page.getByRole('heading', { name: 'Fremmøde: Efterårskursus' }).waitFor();
    const metteFirst = page.getByRole('combobox', { name: /^Mette Hansen, / }).first();
    const idaFirst = page.getByRole('combobox', { name: /^Ida Berg, / }).first();
    // Sessions not yet started are shown, but cannot be filled in.
    expect(
      await page
        .getByRole('combobox', { name: /^Mette Hansen, / })
        .nth(3)
        .isDisabled(),
    ).toBe(true);
    await check('i11-50-attendance-grid');

    await page
      .getByRole('button', { name: /^Alle mødte/ })
      .first()
      .click();
    await page.getByText('Alle er markeret som mødt. Husk at gemme.').waitFor();
    expect(await idaFirst.inputValue()).toBe('present');
    await metteFirst.selectOption({ label: 'Ikke mødt' });
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.getByText('Fremmødet er gemt.').waitFor();
    expect(await metteFirst.inputValue()).toBe('absent');
    expect(await idaFirst.inputValue()).toBe('present');
    expect(
      await page
        .getByRole('combobox', { name: /^Ida Berg, / })
        .nth(1)
        .inputValue(),
    ).toBe('');
    await check('i11-51-attendance-saved');

    await page.getByLabel('Frivillig').selectOption({ label: 'Ole Holm (Forårskursus)' });
    await page.getByLabel('Kursusgang', { exact: true }).selectOption({ index: 2 });
    await page.getByRole('button', { name: 'Tilføj indhentning' }).click();
    await page.getByText('Indhentningen er registreret.').waitFor();
    expect(
      await page
        .getByRole('combobox', { name: /^Ole Holm, / })
        .nth(1)
        .inputValue(),
    ).toBe('present');
    await check('i11-52-make-up-added');

    // Adding a session: refused with the message by the field, then added.
    await page.getByRole('link', { name: 'Efterårskursus' }).click();
    expect(await page.getByLabel('Sted (skal udfyldes)').inputValue()).toBe(
      'Kulturhuset, Vestergade 3',
    );
    const day = dateFromToday(20);
    await page.getByLabel('Starter').fill(`${day}T17:00`);
    await page.getByLabel('Slutter').fill(`${day}T16:00`);
    await page.getByRole('button', { name: 'Tilføj kursusgang' }).click();
    await page.locator('.error-summary').waitFor();
    await check('i11-53-session-add-refused');
    expect(await page.getByLabel('Starter').inputValue()).toBe(`${day}T17:00`);
    await page.getByLabel('Slutter').fill(`${day}T20:00`);
    await page.getByRole('group', { name: 'Temaer' }).getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Tilføj kursusgang' }).click();
    await page.getByText('Kursusgangen er tilføjet.').waitFor();
    expect(await page.getByRole('link', { name: /Fremmøde og ændringer/ }).count()).toBe(5);
    await check('i11-54-session-added');

    // The sheets as they print: no navigation or buttons, black on white.
    await page.getByRole('link', { name: 'Udskriv fremmødeliste' }).click();
    await page.getByRole('heading', { name: 'Fremmødeliste: Efterårskursus' }).waitFor();
    await check('i11-55-print-attendance-screen');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await check('i11-56-print-attendance');
    const sheet = await page.pdf({ format: 'A4', landscape: true });
    expect(sheet.subarray(0, 5).toString()).toBe('%PDF-');

    await page.goto(`${baseUrl}/staff/courses/${course.id}/print/participants`);
    await page.getByRole('heading', { name: 'Deltagerliste: Efterårskursus' }).waitFor();
    await check('i11-57-print-participants');
    const list = await page.pdf({ format: 'A4' });
    expect(list.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'i11-58-print-participants-screen');
  }, 400_000);
});
