import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { instantFromToday } from '../dates';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, screenshot, signIn } from './browser';

/** "Årsopgørelse" in a browser: reached from the menu, a year chosen, axe clean, printable. */
describe("the year's figures, in a browser", () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
  });

  it('should show the figures with bars, compare them with last year and print', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });
    // This year: a volunteer all the way to matchable on a course held 40 days ago.
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-40),
    });
    const person = await factory.apply({ branchCode, firstName: 'Søren', lastName: 'Ærø' });
    await t.db.query(`UPDATE volunteer SET created_at = now() - interval '60 days' WHERE id = $1`, [
      person.id,
    ]);
    const visit = await staff(request(t.http).post(`/api/v1/volunteers/${person.id}/home-visits`))
      .send({ scheduledAt: instantFromToday(5) })
      .expect(201);
    await staff(request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`))
      .send({ outcome: 'approved' })
      .expect(200);
    await t.db.query(
      `UPDATE home_visit SET scheduled_at = now() - interval '50 days',
              held_at = now() - interval '50 days', outcome_at = now() - interval '50 days'
        WHERE id = $1`,
      [visit.body.id],
    );
    await staff(request(t.http).post(`/api/v1/volunteers/${person.id}/attestations`))
      .send({ receivedOn: instantFromToday(-45).slice(0, 10), result: 'clean' })
      .expect(201);
    await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
      .send({ volunteerId: person.id })
      .expect(201);
    for (const s of course.sessions) {
      await staff(request(t.http).put(`/api/v1/sessions/${s.id}/attendance`))
        .send({ records: [{ volunteerId: person.id, present: true }] })
        .expect(200);
    }
    // Last year: three applications.
    for (let i = 0; i < 3; i += 1) {
      const earlier = await factory.apply({ branchCode, lastName: `Sidste${i}` });
      await t.db.query(
        `UPDATE volunteer SET created_at = now() - interval '1 year' WHERE id = $1`,
        [earlier.id],
      );
    }

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    await page.getByRole('link', { name: 'Årsopgørelse', exact: true }).click();
    await page.waitForURL(/\/staff\/reports\/year/);
    const year = new Date().getUTCFullYear();
    await page.getByLabel('År', { exact: true }).selectOption(String(year));
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.waitForURL(new RegExp(`year=${year}`));
    const row = page.getByRole('row', { name: /Nye ansøgninger/ });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual(['1', '3', '-2']);
    expect(await page.locator('svg.bar-chart').first().isVisible()).toBe(true);
    await checkPage(page, 'i15-year-figures-01-page');

    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'i15-year-figures-02-print');
    await expect(page.locator('form.filters').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });
});
