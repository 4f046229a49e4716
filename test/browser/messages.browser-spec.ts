import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** Messages, dates and titles in the reader's language, as a person sees them. */
describe('messages in the reader’s language, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;
  let branchCode: string;

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    factory = new Factory(t);
    branchCode = await factory.branch();
  });

  it('should answer an empty application in Danish, and a bad postcode once, in English', async () => {
    await page.goto(`${baseUrl}/ansog`);
    await page.getByRole('button', { name: 'Send ansøgning' }).click();
    const summary = page.getByRole('alert');
    await summary.getByText('Skriv dit fornavn').waitFor();
    await summary
      .getByText('Postnummeret skal være fire cifre')
      .or(summary.getByText('Skriv dit postnummer'))
      .first()
      .waitFor();
    expect(await summary.innerText()).not.toMatch(/firstName|must be|should not/);
    await checkPage(page, 'i12-01-application-empty-da');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('First name').fill('Maja');
    await page.getByLabel('Last name').fill('Holm');
    await page.getByLabel('Email').fill('maja.holm@example.org');
    await page.getByLabel('Phone').fill('+45 12 34 56 78');
    await page.getByLabel('Postcode').fill('12');
    await page.getByLabel('Why do you want to be a family friend?').fill('I would like to help.');
    await page.getByLabel('I consent to my details being processed as described.').check();
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.getByRole('alert').getByText('The postcode must be four digits').waitFor();
    // The branch left to be found from the postcode has no message of its own.
    expect(await page.locator('.error').count()).toBe(1);
    await checkPage(page, 'i12-02-application-bad-postcode-en');
  });

  it('should speak to staff about the record, write dates out and translate the outbox', async () => {
    const coordinator = await factory.coordinator(branchCode);
    const { id } = await factory.apply({ branchCode, firstName: 'Astrid', lastName: 'Holm' });
    const receivedOn = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    await request(t.http)
      .post(`/api/v1/volunteers/${id}/attestations`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ receivedOn, result: 'clean' })
      .expect(201);

    // The first case left the browser on the English switch.
    await page.goto(`${baseUrl}/lang?lang=da&next=/`);
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers/${id}`);
    const edit = page.getByRole('region', { name: 'Ret oplysninger' });
    await edit.getByLabel('Fornavn').fill('');
    await edit.getByRole('button', { name: 'Gem oplysninger' }).click();
    await page.getByText('Skriv fornavnet').first().waitFor();
    // A certificate's last day is written out, not as 2028-11-23.
    expect(await page.locator('main').innerText()).toMatch(/gyldig til \d{1,2}\. [a-z]+ \d{4}/);
    await checkPage(page, 'i12-03-record-staff-da');

    await page.getByRole('button', { name: 'Log ud' }).click();
    await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${baseUrl}/staff/outbox?status=sent`);
    await page.getByRole('heading', { name: 'Emails' }).waitFor();
    expect(await page.title()).toBe('Emails · Klar');
    expect(await page.getByLabel('Status').innerText()).toMatch(/Queued\s+Sent\s+Failed/);
    await checkPage(page, 'i12-04-outbox-en');
    await page.getByRole('button', { name: 'Dansk' }).click();
    await page.getByRole('heading', { name: 'E-mails' }).waitFor();
    expect(await page.getByLabel('Status').innerText()).toMatch(/I kø\s+Sendt\s+Fejlet/);
  });
});
