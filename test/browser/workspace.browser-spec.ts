import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** The coordinator's weekly work in a browser, found by its visible Danish labels. */
describe("the coordinator's workspace, in a browser", () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, browser, page } = session);
  });

  it('should find a volunteer by name from the search field, submitted with Enter', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    await factory.apply({ branchCode, firstName: 'Astrid', lastName: 'Søndergaard' });
    await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Andersen' });

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    // The dashboard puts the people nobody has contacted yet at the top, each a link.
    const fresh = page.getByRole('region', { name: 'Nye ansøgninger, ikke kontaktet' });
    await fresh.getByRole('link', { name: 'Astrid Søndergaard' }).waitFor();
    await checkPage(page, 'i11-00-dashboard');
    await page.getByRole('link', { name: 'Frivillige', exact: true }).click();

    await page.getByLabel('Søg navn eller e-mail').fill('Søndergaard');
    await page.getByLabel('Søg navn eller e-mail').press('Enter');
    await page.waitForURL(/q=S/);
    await page.getByRole('link', { name: 'Astrid Søndergaard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Bo Andersen' }).count()).toBe(0);
    await checkPage(page, 'i11-01-volunteer-search');

    await page.getByLabel('Søg navn eller e-mail').fill('Ingen-hedder-sådan');
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await page.getByText('Ingen frivillige fundet').waitFor();
    expect(await page.getByText('Viser 0–0').count()).toBe(0);
    await checkPage(page, 'i11-02-volunteer-search-empty');
  });

  it("should bring a rejected form's errors into view and focus on a long record page", async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const volunteer = await factory.apply({ branchCode, firstName: 'Carla', lastName: 'Holt' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const tab = await context.newPage();
    await signIn(tab, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await tab.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    // The certificate form, far down the page, sent without a result.
    await tab.getByRole('button', { name: 'Gem børneattest' }).click();
    const summary = tab.locator('.error-summary');
    await summary.waitFor();
    await tab.waitForFunction("document.activeElement?.classList.contains('error-summary')");
    expect(await summary.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(700);
    expect(await summary.evaluate((el) => el.getBoundingClientRect().bottom)).toBeGreaterThan(0);
    await checkPage(tab, 'i11-03-rejected-form-in-view');
    await context.close();
  });
});
