import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { csrfIn, signedInAgent } from './pages';
import { dateFromToday } from './dates';

describe('web pages', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should show a name with HTML in it escaped on every page that shows it', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-5),
    });
    const name = '<img src=x onerror=alert(1)>';
    const { id, portalToken } = await factory.apply({
      branchCode,
      firstName: name,
      lastName: name,
    });
    await request(t.http)
      .post(`/api/v1/courses/${course.id}/bookings`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ volunteerId: id })
      .expect(201);
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const pages = [
      await request(t.http).get(`/v/${portalToken}`),
      await agent.get('/staff/volunteers'),
      await agent.get(`/staff/volunteers/${id}`),
      await agent.get(`/staff/courses/${course.id}`),
      await agent.get(`/staff/sessions/${course.sessions[0].id}`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(name);
      expect(page.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    }
  });

  it('should refuse a form posted without its CSRF token', async () => {
    const agent = request.agent(t.http);
    await agent.get('/login').expect(200);
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ email: coordinator.email, password: COORDINATOR_PASSWORD })
      .expect(403);
    expect(refused.text).toContain('Formularen er udløbet');
    const signedIn = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const { id } = await factory.apply({ branchCode });
    await signedIn
      .post(`/staff/volunteers/${id}/withdraw`)
      .type('form')
      .send({ _csrf: 'forged' })
      .expect(403);
    const detail = await request(t.http)
      .get(`/api/v1/volunteers/${id}`)
      .auth(coordinator.token, { type: 'bearer' })
      .expect(200);
    expect(detail.body.stage).toBe('applied');
  });

  it("should show a coordinator of another branch the 404 page for this branch's volunteer", async () => {
    const { id } = await factory.apply({ branchCode });
    const other = await factory.coordinator(await factory.branch());
    const agent = await signedInAgent(t, other.email, COORDINATOR_PASSWORD);
    const page = await agent.get(`/staff/volunteers/${id}`).expect(404);
    expect(page.text).toContain('Siden findes ikke');
    expect(page.text).toContain('<html lang="da">');
    const form = await agent.get('/staff/volunteers').expect(200);
    await agent
      .post(`/staff/volunteers/${id}/attestations`)
      .type('form')
      .send({ _csrf: csrfIn(form.text), receivedOn: dateFromToday(-30), result: 'clean' })
      .expect(404);
  });

  it('should send a signed-out visitor of a staff page to the login page and back', async () => {
    await request(t.http)
      .get('/staff/courses')
      .expect(303)
      .expect('location', '/login?next=%2Fstaff%2Fcourses');
  });

  it('should keep the input and show the errors next to the fields when an application is refused', async () => {
    const agent = request.agent(t.http);
    const form = await agent.get('/ansog').expect(200);
    await agent
      .post('/ansog')
      .type('form')
      .send({
        _csrf: csrfIn(form.text),
        firstName: 'Bo',
        lastName: '',
        email: 'not-an-email',
        phone: '+45 20 30 40 50',
        postcode: '8000',
        branchCode,
        motivation: 'Gerne',
        availability: 'weekend',
      })
      .expect(303)
      .expect('location', '/ansog#form');
    const again = await agent.get('/ansog').expect(200);
    expect(again.text).toContain('class="error-summary"');
    expect(again.text).toMatch(/id="f-apply-email-error">Skriv en gyldig e-mailadresse/);
    expect(again.text).toContain('href="#f-apply-consent"');
    expect(again.text).toMatch(/name="firstName" type="text" value="Bo"/);
    expect(again.text).toMatch(/value="weekend" checked/);
    // Shown once: reloading shows the empty form.
    const third = await agent.get('/ansog').expect(200);
    expect(third.text).not.toContain('class="error-summary"');
  });

  it('should take an application from the form and book the chosen course', async () => {
    const course = await createCourse(t, coordinator.token, { branchCode });
    const agent = request.agent(t.http);
    const form = await agent.get('/ansog').expect(200);
    expect(form.text).toContain(course.id);
    await agent
      .post('/ansog')
      .type('form')
      .send({
        _csrf: csrfIn(form.text),
        firstName: 'Ida',
        lastName: 'Lund',
        email: 'ida.lund@example.org',
        phone: '+45 20 30 40 50',
        postcode: '8000',
        branchCode,
        motivation: 'Gerne',
        availability: ['weekend', 'weekday_evening'],
        languages: 'da',
        consent: 'on',
        courseId: course.id,
      })
      .expect(303)
      .expect('location', '/ansog/tak');
    await t.mail.waitFor('ida.lund@example.org');
    const participants = await request(t.http)
      .get(`/api/v1/courses/${course.id}/participants`)
      .auth(coordinator.token, { type: 'bearer' })
      .expect(200);
    expect(participants.body).toEqual([
      expect.objectContaining({ firstName: 'Ida', status: 'booked' }),
    ]);
  });

  it('should switch the pages to English with the language cookie', async () => {
    const agent = request.agent(t.http);
    await agent.get('/lang?lang=en&next=/ansog').expect(303).expect('location', '/ansog');
    const page = await agent.get('/ansog').expect(200);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Apply as a family friend');
    await agent.get('/lang?lang=da&next=//evil.example').expect(303).expect('location', '/');
  });

  it('should sign out and refuse a wrong password on the login page', async () => {
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const dashboard = await agent.get('/staff').expect(200);
    expect(dashboard.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Lax/);
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfIn(dashboard.text) })
      .expect(303);
    await agent.get('/staff').expect(303);
    const login = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfIn(login.text), email: coordinator.email, password: 'wrong password' })
      .expect(303);
    const again = await agent.get('/login').expect(200);
    expect(again.text).toContain('E-mail eller adgangskode er forkert.');
    expect(again.text).not.toContain('wrong password');
  });

  it('should read empty filters as no filter: the volunteer search as the page submits it, and the API', async () => {
    const { id } = await factory.apply({ branchCode, firstName: 'Søgbar', lastName: 'Filtersen' });
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    // What the filter form sends when only a name is typed: every field, the rest empty.
    const page = await agent
      .get('/staff/volunteers')
      .query({ q: 'Filtersen', stage: '', matchable: '', postcode: '' })
      .expect(200);
    expect(page.text).toContain(`/staff/volunteers/${id}`);
    const api = await request(t.http)
      .get('/api/v1/volunteers')
      .query({ q: 'Filtersen', stage: '', matchable: '', postcode: '', branch: '' })
      .auth(coordinator.token, { type: 'bearer' })
      .expect(200);
    expect(api.body.items.map((v: { id: string }) => v.id)).toEqual([id]);
    // A filled-in filter is still checked.
    await request(t.http)
      .get('/api/v1/volunteers')
      .query({ stage: 'nonsense' })
      .auth(coordinator.token, { type: 'bearer' })
      .expect(400);
  });
});
