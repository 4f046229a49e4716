import request from 'supertest';
import type { Page } from 'playwright-core';
import { PublicRequestQueue } from '../../src/applications/public-request.queue';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../app';
import { Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * An applicant outside every branch applies and learns who will contact them; an
 * administrator edits a branch and makes it the fallback, is told why a busy branch
 * cannot be deactivated, changes a user's language and deactivates them, adds a topic
 * on the curriculum form, and sends a failed email again. Each page seen in Chromium,
 * with a screenshot and no serious axe violation.
 */
describe('the applicant outside every branch and the administrator’s pages, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;
  let admin: string;
  let national: string;
  let busy: string;

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    factory = new Factory(t);
    admin = await factory.admin();
    national = await factory.branch('landskontoret');
    busy = await factory.branch('aarhus');
    await request(t.http)
      .patch(`/api/v1/branches/${busy}`)
      .auth(admin, { type: 'bearer' })
      .send({ name: 'Home-Start Aarhus', postcodes: ['8000', '8200'] })
      .expect(200);
  });

  const check = (name: string) => checkPage(page, name);

  /** The administrator signs in once; the steps below follow on in the same browser. */
  let signedIn = false;
  const signInAsAdmin = async () => {
    if (!signedIn) {
      await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
      signedIn = true;
    }
  };

  it('should make the national office the fallback, then take an application from 9000 there', async () => {
    await signInAsAdmin();
    await page.goto(`${baseUrl}/staff/branches`);
    await page.getByRole('link', { name: `Home-Start ${national}` }).click();
    // The list has a "Navn" field of its own (to create a branch): fill only once on the branch page.
    await page.waitForURL(`${baseUrl}/staff/branches/${national}`);
    await page.getByLabel('Navn').fill('Landskontoret');
    await page.getByLabel('Kontakt-e-mail').fill('ikke-en-adresse');
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.locator('.error-summary').waitFor();
    await check('i12-21-branch-edit-refused');

    await page.getByLabel('Kontakt-e-mail').fill('kontakt@landskontoret.dk');
    await page
      .getByLabel('Modtager ansøgninger fra postnumre, som ingen lokalafdeling dækker')
      .check();
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Lokalafdelingen er gemt.').waitFor();
    await page.getByText('Modtager øvrige postnumre').waitFor();

    // The applicant is someone else, in a browser of their own.
    const staffPage = page;
    page = await (await page.context().browser()!.newContext()).newPage();
    await page.goto(`${baseUrl}/ansog`);
    await page.getByText('Hvilke postnumre dækker lokalafdelingerne?').click();
    await page.getByText('Alle andre postnumre:').waitFor();
    await check('i12-22-apply-form-fallback');
    await page.getByLabel('Fornavn').fill('Asger');
    await page.getByLabel('Efternavn').fill('Nord');
    await page.getByLabel('E-mail').fill('asger.nord@example.org');
    await page.getByLabel('Telefon').fill('+45 20 30 40 50');
    await page.getByLabel('Postnummer').fill('9000');
    await page
      .getByLabel('Hvorfor vil du være familieven?')
      .fill('Jeg vil gerne hjælpe en familie.');
    await page.getByLabel('Jeg giver samtykke').check();
    await page.getByRole('button', { name: 'Send ansøgning' }).click();
    await page.waitForURL(`${baseUrl}/ansog/tak`);
    await page.getByText('Det er Landskontoret, der kontakter dig.').waitFor();
    await check('i12-23-thanks-names-branch');
    await page.context().close();
    page = staffPage;
    await t.app.get(PublicRequestQueue).drain();
    const mail = await t.mail.waitFor('asger.nord@example.org');
    expect(mail.text).toContain('Landskontoret');
  });

  it('should refuse to deactivate a branch with volunteers and say why', async () => {
    await factory.apply({ branchCode: busy, firstName: 'Ida' });
    await signInAsAdmin();
    await page.goto(`${baseUrl}/staff/branches/${busy}`);
    await page.getByRole('link', { name: 'Deaktivér …' }).click();
    await page.getByRole('heading', { name: 'Det sker, når du deaktiverer' }).waitFor();
    await page.getByRole('button', { name: 'Ja, deaktivér lokalafdelingen' }).click();
    await page
      .getByText('Lokalafdelingen kan ikke deaktiveres, fordi den har 1 aktiv frivillig.')
      .waitFor();
    await check('i12-24-branch-deactivation-refused');
    const [row] = await t.db.query<{ active: boolean }[]>(
      'SELECT active FROM branch WHERE code = $1',
      [busy],
    );
    expect(row.active).toBe(true);
  });

  it('should change a user’s language and deactivate them after a confirmation', async () => {
    const coordinator = await factory.coordinator(busy);
    const [user] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE email = $1',
      [coordinator.email],
    );
    await signInAsAdmin();
    await page.goto(`${baseUrl}/staff/users`);
    await page.locator(`a[href="/staff/users/${user.id}"]`).click();
    await page.waitForURL(`${baseUrl}/staff/users/${user.id}`);
    await page.getByLabel('Sprog i e-mails').selectOption('en');
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Brugeren er gemt.').waitFor();
    const [saved] = await t.db.query<{ language: string }[]>(
      'SELECT language FROM staff_user WHERE id = $1',
      [user.id],
    );
    expect(saved.language).toBe('en');

    await page.goto(`${baseUrl}/staff/users/${user.id}`);
    await check('i12-25-user-edit');
    await page.getByRole('link', { name: 'Deaktivér …' }).click();
    await page.getByRole('button', { name: 'Ja, deaktivér brugeren' }).waitFor();
    await check('i12-26-user-deactivate-confirm');
    await page.getByRole('button', { name: 'Ja, deaktivér brugeren' }).click();
    await page.getByText('Brugeren er deaktiveret og logget ud alle steder.').waitFor();
    await request(t.http)
      .get('/api/v1/volunteers')
      .auth(coordinator.token, { type: 'bearer' })
      .expect(401);
  });

  it('should add a topic on the curriculum form with a code made from its title', async () => {
    await signInAsAdmin();
    await page.goto(`${baseUrl}/staff/curriculum`);
    const added = page.getByRole('group', { name: 'Nyt tema' });
    await added.getByLabel('Titel (dansk)').fill('Børns trivsel');
    await added.getByLabel('Titel (engelsk)').fill('Children’s well-being');
    await page.getByRole('button', { name: 'Gem kursusplan' }).click();
    await page.getByText('Kursusplanen er gemt.').waitFor();
    await page
      .getByRole('group', { name: /Børns trivsel/ })
      .getByText('boerns_trivsel')
      .waitFor();
    await check('i12-27-curriculum-form');
    const curriculum = await request(t.http).get('/api/v1/curriculum').expect(200);
    expect(curriculum.body.topics).toContainEqual(
      expect.objectContaining({ code: 'boerns_trivsel', mandatory: false }),
    );
  });

  it('should send a failed email again from the outbox page', async () => {
    const { email } = await factory.apply({ branchCode: busy, firstName: 'Ulla' });
    await t.db.query(
      `UPDATE outbox_message SET status = 'failed', sent_at = NULL, attempts = 8,
              last_error = 'connect ECONNREFUSED'
        WHERE recipient = $1`,
      [email],
    );
    const before = t.mail.to(email).length;
    await signInAsAdmin();
    await page.goto(`${baseUrl}/staff/outbox`);
    await page.getByLabel('Status').selectOption('failed');
    await check('i12-28-outbox-failed');
    await page
      .getByRole('button', { name: /^Send igen: Tak for din ansøgning som familieven, Ulla/ })
      .click();
    await page.getByText('E-mailen er sat i kø og sendes igen om lidt.').waitFor();
    await t.mail.waitFor(email, () => t.mail.to(email).length > before);
    expect(t.mail.to(email).length).toBe(before + 1);
  });
});
