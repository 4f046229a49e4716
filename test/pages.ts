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
