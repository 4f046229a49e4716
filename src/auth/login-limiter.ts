import { Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors';
import { type LimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';

const WINDOW_SECONDS = 15 * 60;

/** Guessing one account's password from one address. */
const PER_ACCOUNT_AND_ADDRESS: LimitRule = {
  name: 'login-account-address',
  limit: 5,
  windowSeconds: WINDOW_SECONDS,
  blockSeconds: WINDOW_SECONDS,
};
/** One address trying many accounts. */
const PER_ADDRESS: LimitRule = {
  name: 'login-address',
  limit: 20,
  windowSeconds: WINDOW_SECONDS,
  blockSeconds: WINDOW_SECONDS,
};
/**
 * Slow guessing of one account from many addresses. It also locks the owner out for a
 * while, which is why it is generous and short, and why a password reset clears it.
 */
const PER_ACCOUNT: LimitRule = {
  name: 'login-account',
  limit: 20,
  windowSeconds: WINDOW_SECONDS,
  blockSeconds: WINDOW_SECONDS,
};

/**
 * Counts failed logins per account-and-address, per address and per account; past a
 * limit every attempt, right or wrong, answers 429 for 15 minutes. The counters live in
 * PostgreSQL, so they hold across every instance.
 */
@Injectable()
export class LoginLimiter {
  constructor(private readonly limiter: RateLimiter) {}

  async assertAllowed(email: string, address: string): Promise<void> {
    const states = await Promise.all(
      this.counters(email, address).map(([rule, subject]) => this.limiter.check(rule, subject)),
    );
    const refused = states.filter((s) => !s.allowed);
    if (refused.length > 0) {
      const wait = Math.max(...refused.map((s) => s.retryAfterSeconds));
      throw new TooManyRequestsError(`Too many failed logins; try again in ${wait} seconds`, wait);
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    // Counted after the answer is known, so the attempt that reaches a limit still gets
    // its honest 401; the next one gets the 429.
    for (const [rule, subject] of this.counters(email, address)) {
      await this.limiter.hit(rule, subject);
    }
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    await this.limiter.reset(PER_ACCOUNT_AND_ADDRESS, [email, address]);
  }

  /** Forgets the account's failures from every address (after a completed password reset). */
  async clearAccount(email: string): Promise<void> {
    await this.limiter.reset(PER_ACCOUNT, [email]);
    await this.limiter.reset(PER_ACCOUNT_AND_ADDRESS, [email]);
  }

  private counters(email: string, address: string): [LimitRule, string[]][] {
    return [
      [PER_ACCOUNT_AND_ADDRESS, [email, address]],
      [PER_ADDRESS, [address]],
      [PER_ACCOUNT, [email]],
    ];
  }
}
