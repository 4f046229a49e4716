import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../common/errors';

const FAILURES_PER_ACCOUNT = 5;
const FAILURES_PER_ADDRESS = 20;
const WINDOW_SECONDS = 15 * 60;

/**
 * Counts failed logins per account-and-address and per address; past the limit every
 * attempt, right or wrong, answers 429 until the window has passed. In memory: with
 * several instances each counts on its own, which still bounds guessing.
 */
@Injectable()
export class LoginLimiter {
  private readonly perAccount = new RateLimiterMemory({
    keyPrefix: 'login-account',
    points: FAILURES_PER_ACCOUNT,
    duration: WINDOW_SECONDS,
  });
  private readonly perAddress = new RateLimiterMemory({
    keyPrefix: 'login-address',
    points: FAILURES_PER_ADDRESS,
    duration: WINDOW_SECONDS,
  });

  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, ip] = await Promise.all([
      this.perAccount.get(`${email}|${address}`),
      this.perAddress.get(address),
    ]);
    const blocked = [
      [account, FAILURES_PER_ACCOUNT],
      [ip, FAILURES_PER_ADDRESS],
    ].find(([res, limit]) => res && (res as RateLimiterRes).consumedPoints >= (limit as number));
    if (blocked) {
      const wait = Math.ceil((blocked[0] as RateLimiterRes).msBeforeNext / 1000);
      throw new TooManyRequestsError(`Too many failed logins; try again in ${wait} seconds`, wait);
    }
  }

  /** The addresses each account has failed from, so that clearAccount can find its counters. */
  private readonly failedFrom = new Map<string, Set<string>>();

  async recordFailure(email: string, address: string): Promise<void> {
    this.failedFrom.set(email, (this.failedFrom.get(email) ?? new Set()).add(address));
    // penalty() counts without rejecting, so the request that reaches the limit still
    // gets its honest 401; the next one gets the 429.
    await Promise.all([
      this.perAccount.penalty(`${email}|${address}`),
      this.perAddress.penalty(address),
    ]);
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    this.failedFrom.get(email)?.delete(address);
    await this.perAccount.delete(`${email}|${address}`);
  }

  /** After a completed password reset the owner may sign in at once, from anywhere. */
  async clearAccount(email: string): Promise<void> {
    const addresses = [...(this.failedFrom.get(email) ?? [])];
    this.failedFrom.delete(email);
    await Promise.all(addresses.map((address) => this.perAccount.delete(`${email}|${address}`)));
  }
}
