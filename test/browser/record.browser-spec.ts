import type { Page } from 'playwright-core';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/** A volunteer's record in a browser: correcting it, the contact log and the history. */
describe("the volunteer's record, in a browser", () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  it('should edit, annotate and show the history of a record', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const taken = await factory.apply({ branchCode, firstName: 'Anden' });
    const { id } = await factory.apply({ branchCode, firstName: 'Astrid', lastName: 'Holm' });

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers/${id}`);

    const edit = page.getByRole('region', { name: 'Ret oplysninger' });
    await edit.getByLabel('E-mail').fill(taken.email);
    await edit.getByLabel('Postnummer').fill('5000');
    await edit.getByRole('button', { name: 'Gem oplysninger' }).click();
    await page.getByText('En anden aktiv frivillig bruger denne e-mailadresse').first().waitFor();
    // The rejected input is kept, so only the address needs fixing.
    expect(await edit.getByLabel('Postnummer').inputValue()).toBe('5000');
    await checkPage(page, 'i11-record-01-edit-rejected');

    await edit.getByLabel('E-mail').fill('astrid.holm@example.org');
    await edit.getByLabel('Weekend').check();
    await edit.getByRole('button', { name: 'Gem oplysninger' }).click();
    await page.getByText('Oplysningerne er gemt.').waitFor();
    const details = page.getByRole('region', { name: 'Oplysninger', exact: true });
    await details.getByText('astrid.holm@example.org').waitFor();
    await details.getByText('5000').waitFor();

    const notes = page.getByRole('region', { name: 'Noter' });
    await notes.getByLabel('Ny note').fill('Ringede. Hun sender børneattesten i næste uge.');
    await notes.getByLabel('Vedrører (valgfrit)').selectOption({ label: 'Børneattest' });
    await notes.getByRole('button', { name: 'Gem note' }).click();
    await page.getByText('Noten er gemt.').waitFor();
    await notes.getByText('Ringede. Hun sender børneattesten i næste uge.').waitFor();
    expect(await notes.getByText('Karen Koordinator').count()).toBe(1);

    const history = page.getByRole('region', { name: 'Historik' });
    const rows = history.getByRole('row');
    // Newest first, after the header: the note, the correction, then the application.
    expect(await rows.nth(1).innerText()).toContain('Note skrevet');
    expect(await rows.nth(2).innerText()).toMatch(
      /Karen Koordinator\s+Oplysninger rettet\s+Ændret: e-mail, postnummer, tid/,
    );
    expect(await rows.last().innerText()).toContain('Ansøgning modtaget');
    await checkPage(page, 'i11-record-02-notes-and-history');
  });
});
