import type { Page } from 'playwright-core';
import { type TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** The privacy notice in both languages, the form's link to it and the record's consent line. */
describe('the privacy notice, with axe', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let volunteerId: string;
  let coordinator: { email: string };

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    volunteerId = (await factory.apply({ branchCode })).id;
  });

  it('should read the notice in Danish and English with no serious violation', async () => {
    await page.goto(`${baseUrl}/privatliv`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Privatlivspolitik',
    );
    await checkPage(page, 'i14-01-privacy-notice-da');
    await page.goto(`${baseUrl}/lang?lang=en&next=/privatliv`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Privacy notice',
    );
    await checkPage(page, 'i14-02-privacy-notice-en');
    await page.goto(`${baseUrl}/lang?lang=da&next=/ansog`);
  });

  it('should lead from the consent on the form to the notice', async () => {
    await page.goto(`${baseUrl}/ansog`);
    await page.locator('#consent-text').getByRole('link').click();
    await page.waitForURL(`${baseUrl}/privatliv`);
    expect(new URL(page.url()).pathname).toBe('/privatliv');
    await page.goto(`${baseUrl}/ansog`);
    await page.locator('#consent-text').scrollIntoViewIfNeeded();
    await checkPage(page, 'i14-03-application-consent');
  });

  it("should show the consent's version on the record", async () => {
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers/${volunteerId}`);
    await expect(page.getByText(/Samtykke givet .*tekstversion/).count()).resolves.toBe(1);
    await checkPage(page, 'i14-04-record-consent');
  });
});
