import type { Browser, Page } from 'playwright-core';
import PDFDocument from 'pdfkit';
import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

function pdfSaying(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const parts: Buffer[] = [];
    doc.on('data', (part: Buffer) => parts.push(part));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

describe("a volunteer's course materials in a browser", () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let browser: Browser;

  inBrowser((session) => {
    ({ t, baseUrl, page, browser } = session);
  });

  it('should list the materials per session, download one and confirm reading it', async () => {
    const factory = new Factory(t);
    const admin = await factory.admin();
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const course = await createCourse(t, coordinator.token, { branchCode, title: 'Vinterkurset' });
    const person = await factory.apply({ branchCode, firstName: 'Mette' });
    await request(t.http)
      .post(`/api/v1/courses/${course.id}/bookings`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ volunteerId: person.id })
      .expect(201);
    const policy = await pdfSaying('Børnesikkerhedspolitik');
    await request(t.http)
      .post('/api/v1/materials')
      .auth(admin, { type: 'bearer' })
      .field('title', 'børnesikkerhedspolitikken')
      .field('topic', 'child_safety')
      .field('requiresConfirmation', 'true')
      .attach('file', policy, 'politik.pdf')
      .expect(201);
    await request(t.http)
      .post('/api/v1/materials')
      .auth(coordinator.token, { type: 'bearer' })
      .field('title', 'Vejen til lokalet')
      .field('sessionId', course.sessions[0].id)
      .field('url', 'https://example.org/vej')
      .expect(201);

    await page.goto(`${baseUrl}/v/${person.portalToken}`);
    const materials = page.locator('#materials');
    await materials.getByRole('heading', { name: 'Kursusmaterialer' }).waitFor();
    await materials.getByRole('link', { name: 'Vejen til lokalet' }).waitFor();
    await checkPage(page, 'i13-00-personal-page-materials');

    // The download is a plain link: the browser fetches it without any header.
    const download = page.waitForEvent('download');
    await materials.getByRole('link', { name: 'børnesikkerhedspolitikken' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('politik.pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) {
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.compare(Buffer.concat(chunks), policy)).toBe(0);

    await materials.getByRole('button', { name: 'Jeg har læst børnesikkerhedspolitikken' }).click();
    await page.waitForURL(`${baseUrl}/v/${person.portalToken}#materials`);
    await page.getByText('Tak, din bekræftelse er gemt.').waitFor();
    await materials.getByText(/^Bekræftet /).waitFor();
    expect(await materials.getByRole('button', { name: /Jeg har læst/ }).count()).toBe(0);
    await checkPage(page, 'i13-01-material-confirmed');
  });

  it('should let staff add materials on the topics page and on a session page', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Efterårskurset',
    });

    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await adminPage.goto(`${baseUrl}/staff/curriculum`);
    await adminPage.getByRole('link', { name: 'Materialer til emnerne' }).click();
    await adminPage.getByRole('heading', { name: 'Materialer', exact: true }).waitFor();
    // Without a file or a link: the message by the file field, the title kept.
    await adminPage.getByLabel('Titel').fill('FN’s Børnekonvention');
    await adminPage.getByRole('button', { name: 'Tilføj materiale' }).click();
    await adminPage.getByText('Vælg en fil eller skriv et link').first().waitFor();
    expect(await adminPage.getByLabel('Titel').inputValue()).toBe('FN’s Børnekonvention');
    await checkPage(adminPage, 'i13-02-topic-material-error');
    await adminPage.getByLabel('Emne').selectOption({ label: "FN's børnekonvention" });
    await adminPage.getByLabel('… eller et link').fill('https://www.unicef.dk/boernekonventionen');
    await adminPage.getByRole('button', { name: 'Tilføj materiale' }).click();
    await adminPage.getByText('Materialet er tilføjet.').waitFor();
    await adminPage.getByRole('link', { name: 'FN’s Børnekonvention' }).waitFor();
    await checkPage(adminPage, 'i13-03-topic-materials');

    const coordinatorPage = await (await browser.newContext()).newPage();
    await signIn(coordinatorPage, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await coordinatorPage.goto(`${baseUrl}/staff/sessions/${course.sessions[0].id}`);
    await coordinatorPage.getByLabel('Titel').fill('Slides, dag 1');
    await coordinatorPage.getByLabel(/^Fil/).setInputFiles({
      name: 'slides.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfSaying('Dag 1'),
    });
    await coordinatorPage.getByRole('button', { name: 'Tilføj materiale' }).click();
    await coordinatorPage.getByText('Materialet er tilføjet.').waitFor();
    await coordinatorPage.getByRole('link', { name: 'Slides, dag 1' }).waitFor();
    await checkPage(coordinatorPage, 'i13-04-session-materials');
  });
});
