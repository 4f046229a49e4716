import type { Page } from 'playwright-core';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** The volunteer list in a browser: search by phone and by a folded name, sort by name. */
describe('the volunteer list, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  /** The names in the list's rows, top to bottom. */
  const listedNames = () => page.locator('table tbody tr td:first-child a').allTextContents();

  it('should find a volunteer by phone and by a name without æøå, and sort by name', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    await factory.apply({
      branchCode,
      firstName: 'Astrid',
      lastName: 'Søndergaard',
      phone: '+45 20304050',
    });
    await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Åberg', phone: '+45 61626364' });
    await factory.apply({
      branchCode,
      firstName: 'Carl',
      lastName: 'Andersen',
      phone: '+45 71727374',
    });

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.getByRole('link', { name: 'Frivillige', exact: true }).click();
    await page.waitForURL(/\/staff\/volunteers/);

    const search = page.getByLabel('Søg navn eller e-mail');
    await search.fill('20 30 40 50');
    await search.press('Enter');
    await page.waitForURL(/q=20/);
    expect(await listedNames()).toEqual(['Astrid Søndergaard']);
    await checkPage(page, 'i11-lists-01-search-phone');

    await search.fill('Soendergaard');
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await page.waitForURL(/q=Soendergaard/);
    expect(await listedNames()).toEqual(['Astrid Søndergaard']);
    await checkPage(page, 'i11-lists-02-search-folded');

    await search.fill('');
    await search.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === '');
    await page.getByRole('link', { name: 'Navn', exact: true }).click();
    await page.waitForURL(/sort=name/);
    expect(await listedNames()).toEqual(['Carl Andersen', 'Astrid Søndergaard', 'Bo Åberg']);
    const nameHeader = page.getByRole('columnheader', { name: 'Navn' });
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await checkPage(page, 'i11-lists-03-sorted-by-name');

    await page.getByRole('link', { name: 'Navn', exact: true }).click();
    await page.waitForURL(/sort=-name/);
    expect(await listedNames()).toEqual(['Bo Åberg', 'Astrid Søndergaard', 'Carl Andersen']);
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
  });
});
