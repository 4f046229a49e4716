import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from './app';

export const COORDINATOR_PASSWORD = 'coordinator-password-1';

const unique = () => randomBytes(4).toString('hex');

export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    branchCode: 'test',
    firstName: 'Maja',
    lastName: 'Sørensen',
    email: `maja.${unique()}@example.org`,
    phone: '+45 20 30 40 50',
    postcode: '8000',
    motivation: 'Jeg har selv haft brug for en hånd, da mine børn var små.',
    availability: ['weekday_evening'],
    languages: ['da', 'en'],
    consent: true,
    ...overrides,
  };
}

/** Builds test data through the public API, as a client would. */
export class Factory {
  private adminToken?: string;

  constructor(private readonly t: TestApp) {}

  async login(email: string, password: string): Promise<string> {
    const res = await request(this.t.http)
      .post('/api/v1/auth/token')
      .send({ email, password })
      .expect(201);
    return res.body.token as string;
  }

  async admin(): Promise<string> {
    this.adminToken ??= await this.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    return this.adminToken;
  }

  async branch(code = `b-${unique()}`): Promise<string> {
    await request(this.t.http)
      .post('/api/v1/branches')
      .auth(await this.admin(), { type: 'bearer' })
      .send({ code, name: `Home-Start ${code}` })
      .expect(201);
    return code;
  }

  /** A coordinator of `branchCode`, signed in. */
  async coordinator(branchCode: string): Promise<{ email: string; token: string }> {
    const email = `koordinator.${unique()}@test.klar`;
    await request(this.t.http)
      .post('/api/v1/users')
      .auth(await this.admin(), { type: 'bearer' })
      .send({
        email,
        name: 'Karen Koordinator',
        role: 'coordinator',
        branchCode,
        password: COORDINATOR_PASSWORD,
      })
      .expect(201);
    return { email, token: await this.login(email, COORDINATOR_PASSWORD) };
  }

  /** Applies on the public form and follows the emailed link to learn the volunteer's id. */
  async apply(overrides: Record<string, unknown> = {}) {
    const body = applicationBody(overrides);
    const seen = this.t.mail.messages.length;
    await request(this.t.http).post('/api/v1/applications').send(body).expect(202);
    // The mail with the personal link: a mail about an earlier application to the same
    // address (a withdrawal's thank-you) may still be on its way.
    const mail = await this.t.mail.waitFor(
      String(body.email),
      (m) => this.t.mail.messages.indexOf(m) >= seen && /klar\.test\/v\//.test(m.text ?? ''),
    );
    const portalToken = portalTokenIn(mail.text ?? '');
    const me = await request(this.t.http)
      .get('/api/v1/me')
      .auth(portalToken, { type: 'bearer' })
      .expect(200);
    return { id: me.body.id as string, email: String(body.email), portalToken, mail };
  }
}

export function portalTokenIn(text: string): string {
  const match = text.match(/http:\/\/klar\.test\/v\/([A-Za-z0-9_-]+)/);
  if (!match) {
    throw new Error(`No personal page link in: ${text}`);
  }
  return match[1];
}

export interface SessionPlan {
  startsAt: string;
  endsAt: string;
  location: string;
  topics: string[];
}

const MANDATORY = ['frameworks', 'boundaries', 'uncrc', 'child_safety'];

/**
 * Four 5-hour sessions, one a day from `firstDay`, covering every mandatory topic: a
 * course that completes the 20 hours. Negative days put it in the past.
 */
export function fullCourseSessions(firstDay: number): SessionPlan[] {
  return MANDATORY.map((topic, i) => {
    const start = new Date(Date.now() + (firstDay + i) * 24 * 3600_000);
    start.setUTCHours(8, 0, 0, 0);
    return {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 5 * 3600_000).toISOString(),
      location: 'Frivillighuset, Nørrebrogade 1',
      topics: i === 0 ? [topic, 'relations'] : [topic],
    };
  });
}

export async function createCourse(
  t: TestApp,
  token: string,
  body: { branchCode: string; capacity?: number; sessions?: SessionPlan[]; title?: string },
) {
  const res = await request(t.http)
    .post('/api/v1/courses')
    .auth(token, { type: 'bearer' })
    .send({ title: 'Forberedende kursus', capacity: 12, sessions: fullCourseSessions(7), ...body })
    .expect(201);
  return res.body as {
    id: string;
    sessions: { id: string; startsAt: string; hours: number; topics: string[] }[];
    warnings: { code: string }[];
  };
}
