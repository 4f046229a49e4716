import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * A coordinator moves and cancels a home visit, withdraws an application from its
 * confirmation page, reactivates it, and declines another from the outcome form: each
 * page seen in Chromium, with a screenshot and no serious axe violation.
 */
describe("closing a volunteer's record, in a browser", () => {
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
    // Each step posts a form that writes and mails; a busy machine needs more than 30 s.
    page.setDefaultTimeout(60_000);
  });

  const check = (name: string) => checkPage(page, name);
  const inDaysLocal = (days: number) =>
    new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);

  it('should move a planned visit, refusing a past time, and cancel it after a confirmation', async () => {
    const volunteer = await factory.apply({ branchCode, firstName: 'Ida', lastName: 'Holm' });
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);

    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByRole('button', { name: 'Aftal besøg' }).click();
    await page.getByText('Hjemmebesøget er aftalt.').waitFor();

    // A time in the past is refused next to the field, the input kept.
    await page.getByLabel('Nyt tidspunkt').fill(`${inDaysLocal(-2)}T10:00`);
    await page.getByRole('button', { name: 'Flyt besøget' }).click();
    await page.getByText('Det nye tidspunkt skal ligge i fremtiden').first().waitFor();
    await check('i11-40-reschedule-error');

    await page.getByLabel('Nyt tidspunkt').fill(`${inDaysLocal(10)}T16:30`);
    await page.getByRole('button', { name: 'Flyt besøget' }).click();
    await page.getByText('Besøget er flyttet, og den frivillige har fået besked.').waitFor();
    await page.getByText('16.30').first().waitFor();

    await page.getByRole('link', { name: 'Aflys besøget' }).click();
    await page.getByRole('heading', { name: /Aflys hjemmebesøget/ }).waitFor();
    await check('i11-41-visit-cancel-confirm');
    await page.getByRole('button', { name: 'Ja, aflys besøget' }).click();
    await page.getByText('Besøget er aflyst, og den frivillige har fået besked.').waitFor();
    await page.getByText(/aflyst \d/).waitFor();
    await page.getByRole('button', { name: 'Aftal besøg' }).waitFor();
    const [row] = await t.db.query<{ stage: string; cancelled: boolean; sequence: number }[]>(
      `SELECT v.stage, h.cancelled_at IS NOT NULL AS cancelled, h.sequence
         FROM volunteer v JOIN home_visit h ON h.volunteer_id = v.id WHERE v.id = $1`,
      [volunteer.id],
    );
    expect(row).toEqual({ stage: 'applied', cancelled: true, sequence: 2 });
  });

  it('should withdraw with a reason from the confirmation page, show the closing and reactivate', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Efterårskursus',
      capacity: 1,
    });
    const volunteer = await factory.apply({ branchCode, firstName: 'Asta', lastName: 'Friis' });
    const waiting = await factory.apply({ branchCode, firstName: 'Ole', lastName: 'Lund' });
    // Asta takes the one seat and Ole waits behind her.
    for (const id of [volunteer.id, waiting.id]) {
      await request(t.http)
        .post(`/api/v1/courses/${course.id}/bookings`)
        .auth(coordinator.token, { type: 'bearer' })
        .send({ volunteerId: id })
        .expect(201);
    }
    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByRole('link', { name: 'Træk tilbage' }).click();
    await page.getByText('1 tilmeldinger annulleres: Efterårskursus (tilmeldt).').waitFor();
    await page.getByText(/Ventelisten rykker op på Efterårskursus/).waitFor();
    await check('i11-42-withdraw-confirm');
    await page.getByLabel('Flytter').check();
    await page.getByLabel('Note (valgfrit)').fill('Flytter til Aalborg efter nytår.');
    await page.getByRole('button', { name: 'Ja, træk ansøgningen tilbage' }).click();
    await page.waitForURL(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByText('Ansøgningen er trukket tilbage.').waitFor();

    const closing = page.locator('section', {
      has: page.getByRole('heading', { name: 'Udmeldt' }),
    });
    await closing.getByText('Flytter', { exact: true }).waitFor();
    await closing.getByText('Flytter til Aalborg efter nytår.').waitFor();
    await closing.getByText('Karen Koordinator').waitFor();
    expect(await page.getByRole('heading', { name: 'Klar til match' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Børneattest' }).count()).toBe(0);
    await check('i11-43-closing-card');

    await closing.getByRole('link', { name: 'Genaktivér' }).click();
    await page.getByRole('heading', { name: /Genaktivér ansøgningen/ }).waitFor();
    await check('i11-44-reactivate-confirm');
    await page.getByRole('button', { name: 'Ja, genaktivér' }).click();
    await page.getByText('Ansøgningen er genaktiveret.').waitFor();
    await page.getByRole('heading', { name: 'Klar til match' }).waitFor();
    expect((await page.locator('h1 .badge').textContent())?.trim()).toBe('Ansøgt');
  });

  it('should decline from the outcome form after a confirmation with a reason', async () => {
    const volunteer = await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Krag' });
    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    await page.getByRole('button', { name: 'Aftal besøg' }).click();
    await page.getByText('Hjemmebesøget er aftalt.').waitFor();

    await page.getByLabel('Afslået (lukker ansøgningen)').check();
    await page.getByLabel('Ja, besøget er holdt').check();
    await page.getByRole('textbox', { name: /Noter/ }).fill('Talte meget om at omvende familier.');
    await page.getByRole('button', { name: 'Gem udfald' }).click();
    await page.getByRole('heading', { name: /Afslå ansøgningen/ }).waitFor();
    expect(await page.getByLabel('Note (valgfrit)').inputValue()).toBe(
      'Talte meget om at omvende familier.',
    );
    expect(await page.getByLabel('Ja, besøget er holdt').isChecked()).toBe(true);
    await check('i11-45-decline-confirm');

    // The visit is planned for later: without "held" the page asks again, input kept.
    await page.getByLabel('Ja, besøget er holdt').uncheck();
    await page.getByLabel('Ikke egnet til rollen').check();
    await page.getByRole('button', { name: 'Ja, afslå ansøgningen' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Ikke egnet til rollen').isChecked()).toBe(true);
    await check('i11-46-decline-held-question');

    await page.getByLabel('Ja, besøget er holdt').check();
    await page.getByRole('button', { name: 'Ja, afslå ansøgningen' }).click();
    await page.getByText('Ansøgningen er afslået, og personen har fået besked.').waitFor();
    const closing = page.locator('section', {
      has: page.getByRole('heading', { name: 'Afslået' }),
    });
    await closing.getByText('Ikke egnet til rollen').waitFor();
    await closing.getByText('Talte meget om at omvende familier.').waitFor();
    expect(await closing.getByRole('link', { name: 'Genaktivér' }).count()).toBe(0);
    await check('i11-47-declined-record');
  });
});
