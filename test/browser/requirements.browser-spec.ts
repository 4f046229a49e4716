import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../app';
import { COORDINATOR_PASSWORD, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * Extra requirements in Chromium: the administrator's page with a refused and an
 * accepted form, the record card on the volunteer's page and the step on the personal
 * page; a screenshot of each and no serious axe violation.
 */
describe('extra requirements, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
    factory = new Factory(t);
  });

  it('should let an administrator add a requirement and a coordinator record it', async () => {
    await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Ekstra krav' }).click();
    await page.getByRole('heading', { name: 'Ekstra krav', level: 1 }).waitFor();
    await page.getByLabel('Navn (dansk)').fill('Tavshedserklæring');
    await page.getByLabel('Nøgle').fill('course');
    await page.getByRole('button', { name: 'Opret krav' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Navn (dansk)').inputValue()).toBe('Tavshedserklæring');
    await checkPage(page, 'i15-91-requirements-refused');

    await page.getByLabel('Navn (engelsk)').fill('Confidentiality declaration');
    await page.getByLabel('Nøgle').fill('tavshedserklaering');
    await page.getByLabel('Fornyes efter antal måneder (valgfrit)').fill('24');
    await page.getByRole('button', { name: 'Opret krav' }).click();
    await page.getByRole('cell', { name: 'tavshedserklaering' }).waitFor();
    await checkPage(page, 'i15-92-requirements');

    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const volunteer = await factory.apply({ branchCode, firstName: 'Sofie', lastName: 'Holm' });
    await page.context().clearCookies();
    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers/${volunteer.id}`);
    const card = page.locator('#requirement-tavshedserklaering');
    await card.getByRole('heading', { name: 'Tavshedserklæring' }).waitFor();
    await checkPage(page, 'i15-93-record-card');
    await card.getByRole('button', { name: 'Registrér' }).click();
    await page.locator('#requirement-tavshedserklaering').getByText('registreret af').waitFor();
    await checkPage(page, 'i15-94-record-card-recorded');

    await page.goto(`${baseUrl}/v/${volunteer.portalToken}`);
    await page.getByText('Tavshedserklæring').first().waitFor();
    await checkPage(page, 'i15-95-portal-step');

    // A requirement met by reading: the step links the material and confirms it.
    const pdf = await new Promise<Buffer>((resolve, reject) => {
      const doc = new PDFDocument();
      const parts: Buffer[] = [];
      doc.on('data', (part: Buffer) => parts.push(part));
      doc.on('end', () => resolve(Buffer.concat(parts)));
      doc.on('error', reject);
      doc.text('Børnesikkerhedspolitik');
      doc.end();
    });
    const admin = await factory.admin();
    const material = await request(t.http)
      .post('/api/v1/materials')
      .auth(admin, { type: 'bearer' })
      .field('title', 'Børnesikkerhedspolitikken')
      .field('topic', 'child_safety')
      .field('requiresConfirmation', 'true')
      .attach('file', pdf, 'politik.pdf')
      .expect(201);
    await request(t.http)
      .post('/api/v1/requirements')
      .auth(admin, { type: 'bearer' })
      .send({
        key: 'child_safety_policy',
        nameDa: 'Børnesikkerhedspolitik læst',
        nameEn: 'Child safety policy read',
        materialId: material.body.id,
      })
      .expect(201);
    await page.goto(`${baseUrl}/v/${volunteer.portalToken}`);
    const step = page.locator('ol.steps li', { hasText: 'Børnesikkerhedspolitik læst' });
    await step.getByRole('link', { name: 'Læs Børnesikkerhedspolitikken' }).waitFor();
    await checkPage(page, 'i15-96-portal-read-step');
    await step.getByRole('button', { name: 'Jeg har læst Børnesikkerhedspolitikken' }).click();
    await page.getByText('Tak, din bekræftelse er gemt.').waitFor();
    await page
      .locator('ol.steps li', { hasText: 'Børnesikkerhedspolitik læst' })
      .getByText('klaret')
      .waitFor();
    await checkPage(page, 'i15-97-portal-read-step-confirmed');
  });
});
