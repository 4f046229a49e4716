import type { LimitRule } from '../common/rate-limit/rate-limiter';

const HOUR = 3600;

/**
 * Mails of a personal link to one address beyond the first: one an hour, whether asked
 * by a repeated application or by "Send mig mit link igen" (one counter). Silent: the
 * answer is the same 202, only the mail is not sent, so it tells nobody who applied.
 */
export const RESEND_PER_ADDRESS: LimitRule = {
  name: 'link-resend-address',
  limit: 1,
  windowSeconds: HOUR,
};

/** Applications per client address an hour (APPLY_LIMIT_PER_CLIENT); beyond, 429. */
export const applyPerClient = (limit: number): LimitRule => ({
  name: 'apply-client',
  limit,
  windowSeconds: HOUR,
});

/** Link requests per client address an hour, with the same setting; beyond, 429. */
export const linkRequestsPerClient = (limit: number): LimitRule => ({
  name: 'link-request-client',
  limit,
  windowSeconds: HOUR,
});
