import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** Issue 14's pages in a browser: the export, "Slet personen", the personal page's buttons. */
describe('privacy pages, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  it('should show the export and erase after asking twice, with no serious axe violation', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const p = await factory.apply({ branchCode, firstName: 'Sigrid', lastName: 'Holmgaard' });
    await request(t.http)
      .post('/api/v1/me/erasure-request')
      .auth(p.portalToken, { type: 'bearer' })
      .expect(202);

    await page.goto(`${baseUrl}/v/${p.portalToken}`);
    await page.getByRole('link', { name: 'Hent mine data' }).waitFor();
    await checkPage(page, 'i14-d-01-personal-page-data');
    await page.getByRole('link', { name: 'Bed om at blive slettet' }).click();
    await page.getByText('Du har allerede bedt om at blive slettet').waitFor();
    await checkPage(page, 'i14-d-02-own-erasure');

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    const requests = page.getByRole('region', { name: 'Anmodninger om sletning' });
    await requests.getByRole('link', { name: 'Sigrid Holmgaard' }).waitFor();
    await checkPage(page, 'i14-d-03-dashboard-requests');

    await page.goto(`${baseUrl}/staff/volunteers/${p.id}`);
    await page.getByRole('link', { name: 'Hent personens data' }).click();
    await page.getByRole('heading', { name: /Personens data/ }).waitFor();
    await checkPage(page, 'i14-d-04-export');

    await page.goto(`${baseUrl}/staff/volunteers/${p.id}/erase`);
    await checkPage(page, 'i14-d-05-erase-confirm');
    await page.getByRole('button', { name: 'Slet personen' }).click();
    await page.getByText('Bekræft, at du forstår').first().waitFor();
    await checkPage(page, 'i14-d-06-erase-refused');
    await page.getByLabel('Jeg forstår').check();
    await page.getByLabel('Skriv personens fulde navn').fill('Sigrid Holmgaard');
    await page.getByRole('button', { name: 'Slet personen' }).click();
    await page.waitForURL(`${baseUrl}/staff/volunteers`);
    await page.getByText('Personen er slettet.').waitFor();
    expect(await page.getByText('Holmgaard').count()).toBe(0);
  });
});
