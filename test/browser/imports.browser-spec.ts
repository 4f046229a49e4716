import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { settle } from '../links';
import { ARTIFACTS, checkPage, inBrowser, signIn } from './browser';

const HEADER =
  'Fornavn;Efternavn;E-mail;Telefon;Postnummer;Ansøgt;Hjemmebesøg;Udfald;Børneattest modtaget;Børneattest resultat;Kursus gennemført;Sprog;Tider;Noter';

/**
 * A branch moves in, in Chromium: the coordinator uploads a file with a mistake, reads
 * the problem by line and column, uploads it corrected, confirms with the personal links
 * sent, and an imported person's link asks for consent before anything else.
 */
describe('importing a spreadsheet, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  const file = (name: string, rows: string[]) => {
    const path = join(ARTIFACTS, name);
    writeFileSync(path, '\ufeff' + [HEADER, ...rows].join('\r\n'));
    return path;
  };

  it('should preview a file with its problems, import it corrected and ask the imported person for consent', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const email = `karen.${Date.now()}@example.org`;
    const row = (applied: string) =>
      `Karen;Ødegaard;${email};20304050;8000;${applied};01-09-2026;godkendt;15.09.2026;ren;01-10-2026;Dansk;;Kom via Facebook`;

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Importér regneark', level: 1 }).waitFor();
    await checkPage(page, 'i15-80-import-upload');

    await page
      .getByLabel(/Fil \(CSV eller XLSX/)
      .setInputFiles(file('import-wrong.csv', [row('31-02-2026')]));
    await page.getByRole('button', { name: 'Vis hvad der vil ske' }).click();
    await page.getByRole('heading', { name: 'Gennemse importen', level: 1 }).waitFor();
    const problem = page.getByRole('cell', { name: /Ansøgt/ });
    await problem.waitFor();
    expect(await page.getByRole('button', { name: 'Bekræft import' }).count()).toBe(0);
    await checkPage(page, 'i15-81-import-preview-problem');

    await page.getByRole('link', { name: 'Upload igen' }).click();
    await page
      .getByLabel(/Fil \(CSV eller XLSX/)
      .setInputFiles(file('import-right.csv', [row('20-08-2026')]));
    await page.getByLabel(/Send de personlige links nu/).check();
    await page.getByRole('button', { name: 'Vis hvad der vil ske' }).click();
    await page.getByRole('cell', { name: email }).waitFor();
    await checkPage(page, 'i15-82-import-preview');
    await page.getByRole('button', { name: 'Bekræft import' }).click();
    await page.getByRole('heading', { name: 'Importen er gennemført', level: 1 }).waitFor();
    await checkPage(page, 'i15-83-import-done');

    await settle(t);
    const mail = await t.mail.waitFor(email, () => true);
    const link = /http:\/\/klar\.test(\/v\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect(link).toBeDefined();
    await page.context().clearCookies();
    await page.goto(`${baseUrl}${link}`);
    await page.getByRole('heading', { name: /dine oplysninger og dit samtykke/ }).waitFor();
    await checkPage(page, 'i15-84-import-consent');
    await page.getByRole('button', { name: 'Jeg giver mit samtykke' }).click();
    await page.getByText('Kurset gennemført før Klar', { exact: false }).first().waitFor();
    await checkPage(page, 'i15-85-import-portal-after-consent');
  });
});
