import request from 'supertest';
import type { TestApp } from './app';

/** One directive's value in a Content-Security-Policy header. */
export function directive(csp: string | undefined, name: string): string | undefined {
  const found = (csp ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part === name || part.startsWith(`${name} `));
  return found?.slice(name.length).trim();
}

/** The Set-Cookie line of one cookie in a response. */
export function setCookie(res: request.Response, name: string): string {
  const lines = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = lines.find((l) => l.startsWith(`${name}=`));
  if (!line) {
    throw new Error(`No ${name} cookie in: ${lines.join(' | ')}`);
  }
  return line;
}

/**
 * A Set-Cookie line as the browser sends it back. By hand, because supertest's cookie
 * jar rightly keeps Secure cookies off the plain-http connection the tests use.
 */
export const cookieHeader = (line: string): string => line.split(';')[0];

/** Rows in http_session. */
export async function sessionRows(t: TestApp): Promise<number> {
  const [{ count }] = await t.db.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM http_session',
  );
  return count;
}

/**
 * Wrong passwords (each for another account) from one forwarded address until the
 * per-address login limit answers 429, whatever that limit is set to.
 */
export async function failLoginsUntilLimited(t: TestApp, forwardedFor: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const res = await request(t.http)
      .post('/api/v1/auth/token')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: `guess-${i}@example.org`, password: 'wrong-password' });
    if (res.status === 429) {
      return;
    }
    expect(res.status).toBe(401);
  }
  throw new Error('The login limit never answered 429');
}
