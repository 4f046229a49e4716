import request from 'supertest';
import { extractText, getDocumentProxy } from 'unpdf';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions } from './factories';
import { LIMITS_ENV } from './links';
import { staffRequests } from './staff-requests';

/** The text of a PDF, its pages joined, with runs of white space made single spaces. */
async function pdfText(body: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(body));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** A PDF response's body as bytes (supertest does not buffer application/pdf by itself). */
const asPdf = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** "4. marts 2027" as the certificate writes a session's day, in Copenhagen. */
const danishDay = (iso: string) =>
  new Intl.DateTimeFormat('da-DK', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(iso));

describe('the course certificate', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  const { staff, book } = staffRequests(() => ({ t, token: coordinator.token }));

  const attended = async (sessionIds: string[], volunteerId: string) => {
    for (const sessionId of sessionIds) {
      await staff(request(t.http).put(`/api/v1/sessions/${sessionId}/attendance`))
        .send({ records: [{ volunteerId, present: true }] })
        .expect(200);
    }
  };

  const certificate = (portalToken: string, courseId: string) =>
    asPdf(request(t.http).get(`/api/v1/me/certificates/${courseId}`)).auth(portalToken, {
      type: 'bearer',
    });

  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS_ENV });
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  it('should give a volunteer who completed the course a PDF with name, branch, hours, topics and dates, æøå intact', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Forårskursus i Århus',
      sessions: fullCourseSessions(-20),
    });
    const person = await factory.apply({ branchCode, firstName: 'Søren', lastName: 'Ærbø Hansen' });
    await book(course.id, person.id).expect(201);
    await attended(
      course.sessions.map((s) => s.id),
      person.id,
    );

    const res = await certificate(person.portalToken, course.id).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="kursusbevis.pdf"');
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain('Kursusbevis');
    expect(text).toContain('Søren Ærbø Hansen');
    expect(text).toContain(`Home-Start ${branchCode}`);
    expect(text).toContain('Forårskursus i Århus');
    expect(text).toContain('Timer i alt: 20');
    expect(text).toContain('Børnesikkerhedspolitik');
    expect(text).toContain('Relationer, værdier, netværk, engagement og involvering');
    expect(text).toContain(danishDay(course.sessions[0].startsAt));
    expect(text).toContain(danishDay(course.sessions[3].startsAt));
    expect(text).toContain('HOME-START');
  });

  it('should list a session made up on another course, with its hours counted', async () => {
    const own = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Vinterkursus',
      sessions: fullCourseSessions(-40),
    });
    const other = await createCourse(t, coordinator.token, {
      branchCode,
      title: 'Indhentningskursus',
      sessions: fullCourseSessions(-30),
    });
    const person = await factory.apply({ branchCode });
    await book(own.id, person.id).expect(201);
    await attended(
      own.sessions.slice(0, 3).map((s) => s.id),
      person.id,
    );
    // 15 hours: not yet completed, so no certificate.
    await certificate(person.portalToken, own.id).expect(404);

    await book(other.id, person.id).expect(201);
    await attended([other.sessions[3].id], person.id);
    const text = await pdfText(
      (await certificate(person.portalToken, own.id).expect(200)).body as Buffer,
    );
    expect(text).toContain('Vinterkursus');
    expect(text).toContain('Indhentningskursus');
    expect(text).toContain('Timer i alt: 20');
    expect(text).toContain(danishDay(other.sessions[3].startsAt));
    // The course of the make-up session was attended too, so it has a certificate.
    await certificate(person.portalToken, other.id).expect(200);
  });

  it('should write the certificate in English for a volunteer who reads English', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-60),
    });
    const person = await factory.apply({ branchCode, locale: 'en' });
    await book(course.id, person.id).expect(201);
    await attended(
      course.sessions.map((s) => s.id),
      person.id,
    );
    const res = await certificate(person.portalToken, course.id).expect(200);
    expect(res.headers['content-disposition']).toContain('course-certificate.pdf');
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain('Course certificate');
    expect(text).toContain('Total hours: 20');
    expect(text).toContain('Child safety policy');
  });

  it("should answer 404 for a course not attended or another volunteer's, 401 without the link, 400 for a bad id", async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-80),
    });
    const done = await factory.apply({ branchCode });
    await book(course.id, done.id).expect(201);
    await attended(
      course.sessions.map((s) => s.id),
      done.id,
    );
    await certificate(done.portalToken, course.id).expect(200);

    // A course the volunteer never attended: another volunteer's, and one nobody attended.
    const elsewhere = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-100),
    });
    const someoneElse = await factory.apply({ branchCode });
    await book(elsewhere.id, someoneElse.id).expect(201);
    await attended(
      elsewhere.sessions.map((s) => s.id),
      someoneElse.id,
    );
    await certificate(done.portalToken, elsewhere.id).expect(404);
    const unattended = await createCourse(t, coordinator.token, { branchCode });
    await certificate(done.portalToken, unattended.id).expect(404);
    // Booked on the course but absent throughout: no certificate for it.
    await book(unattended.id, someoneElse.id).expect(201);
    await certificate(someoneElse.portalToken, unattended.id).expect(404);

    await request(t.http).get(`/api/v1/me/certificates/${course.id}`).expect(401);
    await request(t.http)
      .get(`/api/v1/me/certificates/${course.id}`)
      .auth(coordinator.token, { type: 'bearer' })
      .expect(401);
    const bad = await request(t.http)
      .get('/api/v1/me/certificates/not-a-uuid')
      .auth(done.portalToken, { type: 'bearer' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('courseId');
  });

  it('should offer "Hent kursusbevis" on the personal page only once the course counts, and serve it there without headers', async () => {
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-120),
    });
    const person = await factory.apply({ branchCode, firstName: 'Åse' });
    await book(course.id, person.id).expect(201);
    await attended(
      course.sessions.slice(0, 3).map((s) => s.id),
      person.id,
    );
    const link = `/v/${person.portalToken}/kursusbevis/${course.id}`;
    const short = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
    expect(short.text).not.toContain('Hent kursusbevis');
    await asPdf(request(t.http).get(link)).expect(404);

    await attended([course.sessions[3].id], person.id);
    const page = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
    expect(page.text).toContain('Hent kursusbevis');
    expect(page.text).toContain(`href="${link}"`);

    const res = await asPdf(request(t.http).get(link)).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(res.body as Buffer)).toContain('Åse');

    await asPdf(request(t.http).get(`/v/not-a-live-link/kursusbevis/${course.id}`)).expect(404);
    await asPdf(request(t.http).get(`/v/${person.portalToken}/kursusbevis/not-a-uuid`)).expect(404);
  });
});
