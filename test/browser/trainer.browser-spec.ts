import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from '../factories';
import { checkPage, inBrowser, signIn } from './browser';

/**
 * A trainer on a phone (390 px) finds their session under "Mine kursusgange" and takes
 * attendance; a volunteer answers the evaluation of an ended course on their page.
 */
describe('trainer and evaluation, in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  inBrowser(async (session) => {
    ({ t, baseUrl, page } = session);
    page.setDefaultTimeout(90_000);
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });

  const as = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });
  const sideways = () =>
    page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

  it('should let a trainer on a 390 px phone take attendance from "Mine kursusgange"', async () => {
    const trainer = await factory.coordinator(branchCode);
    const [{ id: trainerId }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE email = $1',
      [trainer.email],
    );
    const sessions = fullCourseSessions(5).map((s, i) =>
      i === 0
        ? {
            ...s,
            startsAt: new Date(Date.now() - 3600_000).toISOString(),
            endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
          }
        : s,
    );
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Vinterkursus',
      sessions,
    });
    await as(request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}`))
      .send({ trainerUserId: trainerId })
      .expect(200);
    const mette = await factory.apply({ branchCode, firstName: 'Mette', lastName: 'Hansen' });
    await as(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
      .send({ volunteerId: mette.id })
      .expect(201);

    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, baseUrl, trainer.email, COORDINATOR_PASSWORD);
    await page.goto(`${baseUrl}/staff/my-sessions`);
    await page.getByRole('heading', { name: 'Mine kursusgange' }).waitFor();
    await checkPage(page, 'i13-20-my-sessions-phone');
    expect(await sideways()).toBeLessThanOrEqual(0);

    await page.getByRole('link', { name: 'Vinterkursus' }).first().click();
    await page.getByRole('heading', { name: 'Fremmøde' }).waitFor();
    await page.getByLabel('Mette Hansen').check();
    await page.getByRole('button', { name: 'Gem fremmøde' }).click();
    await page.getByRole('heading', { name: 'Fremmøde' }).waitFor();
    await checkPage(page, 'i13-21-trainer-attendance-phone');
    expect(await sideways()).toBeLessThanOrEqual(0);
    const present = await t.db.query<{ present: boolean }[]>(
      'SELECT present FROM attendance WHERE session_id = $1 AND volunteer_id = $2',
      [course.sessions[0].id, mette.id],
    );
    expect(present).toEqual([{ present: true }]);
  });

  it('should let a volunteer answer the evaluation of an ended course', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Sommerkursus',
      sessions: fullCourseSessions(-10),
    });
    const ida = await factory.apply({ branchCode, firstName: 'Ida', lastName: 'Berg' });
    await as(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
      .send({ volunteerId: ida.id })
      .expect(201);
    await as(request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`))
      .send({ records: [{ volunteerId: ida.id, present: true }] })
      .expect(200);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}/v/${ida.portalToken}`);
    await page.getByRole('heading', { name: 'Evaluér kurset' }).waitFor();
    await checkPage(page, 'i13-22-evaluation-form');
    for (const statement of [
      'Jeg føler mig klædt på til at besøge en familie',
      'Jeg ved, hvor grænserne for min rolle som frivillig går',
      'Jeg ved, hvad jeg skal gøre, hvis jeg er bekymret for et barn',
      'Undervisningen var god',
    ]) {
      await page
        .getByRole('group', { name: new RegExp(`^${statement}`) })
        .getByLabel('4')
        .check();
    }
    await page.getByLabel('Kommentar (valgfri)').fill('Godt og grundigt');
    await page.getByRole('button', { name: /^Send evaluering/ }).click();
    await page.getByText('Tak for din evaluering.').waitFor();
    await checkPage(page, 'i13-23-evaluation-sent');
    const answered = await t.db.query(
      'SELECT 1 FROM evaluation_response WHERE volunteer_id = $1 AND course_id = $2',
      [ida.id, course.id],
    );
    expect(answered).toHaveLength(1);

    await signIn(page, baseUrl, coordinator.email, COORDINATOR_PASSWORD);
    // The year the course ended in, which early in January is last year.
    const year = new Date(course.sessions[3].startsAt).getUTCFullYear();
    await page.goto(`${baseUrl}/staff/evaluations?year=${year}`);
    await page.getByRole('link', { name: 'Sommerkursus' }).waitFor();
    await checkPage(page, 'i13-24-evaluations-year');
    await page.getByRole('link', { name: 'Sommerkursus' }).click();
    await page.getByText('Vises fra 3 svar, så ingen kan genkendes.').waitFor();
    await checkPage(page, 'i13-25-course-evaluation');
  });
});
