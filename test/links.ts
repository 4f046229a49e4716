import type request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { OutboxWorker } from '../src/notifications/outbox.worker';
import type { TestApp } from './app';

/**
 * Settings for the limits and links tests. TRUST_PROXY (one hop: supertest's loopback)
 * lets a test speak from many client addresses through X-Forwarded-For.
 */
export const LIMITS_ENV = { TRUST_PROXY: '1' };

/** A request as if from `address` behind the one trusted proxy. */
export const from = (req: request.Test, address: string) => req.set('x-forwarded-for', address);

/** Every queued public request worked on and every due mail sent. */
export async function settle(t: TestApp): Promise<void> {
  await t.app.get(PublicRequestQueue).drain();
  // Twice: a run already under way may have claimed its batch before our rows committed.
  await t.app.get(OutboxWorker).drain();
  await t.app.get(OutboxWorker).drain();
}

/** Mails queued to `email`, by template. */
export async function mailsTo(t: TestApp, email: string): Promise<string[]> {
  const rows = await t.db.query<{ template: string }[]>(
    'SELECT template FROM outbox_message WHERE recipient = $1 ORDER BY created_at, id',
    [email],
  );
  return rows.map((r) => r.template);
}

/** How many personal links of the volunteer are stored. */
export async function liveLinks(t: TestApp, volunteerId: string): Promise<number> {
  const [{ n }] = await t.db.query<{ n: string }[]>(
    'SELECT count(*) AS n FROM portal_token WHERE volunteer_id = $1',
    [volunteerId],
  );
  return Number(n);
}

/** Makes the last hour pass for the silent per-address re-send limit. */
export async function forgetResends(t: TestApp): Promise<void> {
  await t.db.query(`DELETE FROM rate_limit WHERE key LIKE 'link-resend-address:%'`);
}
