import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { createCourse, Factory, fullCourseSessions, portalTokenIn } from '../factories';
import { staffRequests } from '../staff-requests';
import { checkPage, inBrowser } from './browser';

describe("the volunteer's own side in a browser", () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, browser, page } = session);
  });

  it('should cancel with a confirmation, show a finished course and recover the link from /v', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const { staff, book, participants } = staffRequests(() => ({ t, token: coordinator.token }));
    const upcoming = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forårets kursus',
      sessions: fullCourseSessions(14),
    });
    const held = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Vinterens kursus',
      sessions: fullCourseSessions(-10),
    });
    const person = await factory.apply({ branchCode, firstName: 'Mette' });
    await book(held.id, person.id).expect(201);
    for (const session of held.sessions) {
      await staff(request(t.http).put(`/api/v1/sessions/${session.id}/attendance`))
        .send({ records: [{ volunteerId: person.id, present: true }] })
        .expect(200);
    }
    await book(upcoming.id, person.id).expect(201);
    const personal = `${baseUrl}/v/${person.portalToken}`;

    // The personal page: the held course is done, the coming one can be cancelled.
    await page.goto(personal);
    const finished = page.getByRole('listitem').filter({ hasText: 'Vinterens kursus' });
    await finished.getByText('Gennemført').waitFor();
    await finished.getByText('Du deltog i 20 timer på kurset.').waitFor();
    expect(await finished.getByRole('link', { name: /Afmeld/ }).count()).toBe(0);
    await checkPage(page, 'i12-41-personal-page');

    // Cancelling asks first; "no" keeps the seat.
    await page.getByRole('link', { name: 'Afmeld Forårets kursus' }).click();
    await page
      .getByRole('heading', { name: 'Vil du afmelde dig kurset Forårets kursus?' })
      .waitFor();
    await checkPage(page, 'i12-42-cancel-confirmation');
    await page.getByRole('link', { name: 'Nej, behold pladsen' }).click();
    await page.waitForURL(`${personal}#courses`);
    expect((await participants(upcoming.id)).map((p) => p.status)).toEqual(['booked']);

    await page.getByRole('link', { name: 'Afmeld Forårets kursus' }).click();
    await page.getByRole('button', { name: 'Ja, afmeld' }).click();
    await page.waitForURL(`${personal}#courses`);
    await page.getByText('Du er afmeldt kurset.').waitFor();
    expect(await participants(upcoming.id)).toEqual([]);
    await checkPage(page, 'i12-43-cancelled');

    // This browser opened the link: /v (where calendar events point) leads back.
    await page.goto(`${baseUrl}/v`);
    await page.waitForURL(personal);

    // Another browser, without the link: /v explains it and sends a new one.
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${baseUrl}/v/${person.portalToken.slice(0, 10)}`);
    await other.getByRole('heading', { name: 'Linket virker ikke' }).waitFor();
    await checkPage(other, 'i12-44-bad-link');
    await other.goto(`${baseUrl}/v`);
    await other.getByRole('heading', { name: 'Hvad er det personlige link?' }).waitFor();
    await checkPage(other, 'i12-45-no-link');
    await other.getByLabel('E-mail').fill(person.email);
    await other.getByRole('button', { name: 'Send mig mit link igen' }).click();
    await other.getByText('Hvis adressen er kendt, har vi sendt et nyt link').waitFor();
    await checkPage(other, 'i12-46-link-sent');

    const mail = await t.mail.waitFor(
      person.email,
      (m) => m.subject === 'Dit link til din personlige side',
    );
    await other.goto(`${baseUrl}/v/${portalTokenIn(mail.text ?? '')}`);
    await other.getByRole('heading', { name: 'Hej Mette' }).waitFor();
    await other.close();
  });
});
