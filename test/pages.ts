import request from 'supertest';
import type { TestApp } from './app';

/** The CSRF token in a page's forms. */
export function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) {
    throw new Error('No CSRF token on the page');
  }
  return match[1];
}

/** A browser-like client (cookies kept) signed in on the login page. */
export async function signedInAgent(t: TestApp, email: string, password: string) {
  const agent = request.agent(t.http);
  const login = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfIn(login.text), email, password, next: '/staff' })
    .expect(303)
    .expect('location', '/staff');
  return agent;
}

/** Posts a page's form as a browser does (the page's CSRF token with the fields); answers where it led. */
export async function submitForm(
  agent: ReturnType<typeof request.agent>,
  page: string,
  action: string,
  fields: Record<string, string> = {},
): Promise<string> {
  const form = await agent.get(page).expect(200);
  const body = new URLSearchParams({ _csrf: csrfIn(form.text), ...fields }).toString();
  const res = await agent.post(action).type('form').send(body).expect(303);
  return res.headers.location;
}
