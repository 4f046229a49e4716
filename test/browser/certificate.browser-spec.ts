import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { extractText, getDocumentProxy } from 'unpdf';
import type { TestApp } from '../app';
import { createCourse, Factory, fullCourseSessions } from '../factories';
import { staffRequests } from '../staff-requests';
import { checkPage, inBrowser, screenshot } from './browser';

describe('the course certificate in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  it('should download "Kursusbevis" as a PDF from the personal page once the course is completed', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const { staff, book } = staffRequests(() => ({ t, token: coordinator.token }));
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Efterårets kursus',
      sessions: fullCourseSessions(-10),
    });
    const person = await factory.apply({ branchCode, firstName: 'Bjørk', lastName: 'Ågård' });
    await book(course.id, person.id).expect(201);
    const attend = (sessionId: string) =>
      staff(request(t.http).put(`/api/v1/sessions/${sessionId}/attendance`))
        .send({ records: [{ volunteerId: person.id, present: true }] })
        .expect(200);
    for (const session of course.sessions.slice(0, 3)) {
      await attend(session.id);
    }
    const personal = `${baseUrl}/v/${person.portalToken}`;

    // 15 of 20 hours: the course has ended, but there is no certificate to offer.
    await page.goto(personal);
    const held = page.getByRole('listitem').filter({ hasText: 'Efterårets kursus' });
    await held.getByText('Du deltog i 15 timer på kurset.').waitFor();
    expect(await page.getByRole('link', { name: /Hent kursusbevis/ }).count()).toBe(0);

    await attend(course.sessions[3].id);
    await page.goto(personal);
    const link = held.getByRole('link', { name: 'Hent kursusbevis Efterårets kursus' });
    await link.waitFor();
    await checkPage(page, 'i13-40-personal-page-certificate');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('kursusbevis.pdf');
    const bytes = await readFile(await download.path());
    // Chromium reports no response for a download: the type comes from the bytes, and
    // from the same link fetched with this browser's cookies.
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const fetched = await page.request.get(`${baseUrl}${await link.getAttribute('href')}`);
    expect(fetched.status()).toBe(200);
    expect(fetched.headers()['content-type']).toBe('application/pdf');
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractText(pdf, { mergePages: true });
    expect(text).toContain('Bjørk Ågård');
    expect(text.replace(/\s+/g, ' ')).toContain('Timer i alt: 20');

    // The download leaves the personal page where it was.
    expect(page.url()).toBe(personal);

    // The certificate as Chromium's PDF viewer shows it, for a person to look at.
    const viewer = await page.context().newPage();
    await viewer.goto(`file://${await download.path()}`);
    await viewer.waitForTimeout(1500);
    await screenshot(viewer, 'i13-42-certificate-pdf');
  });
});
