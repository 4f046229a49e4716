import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: for bearer, portal and calendar tokens. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored only as this hash. A fast hash is right here (unlike passwords):
 * the tokens carry 256 bits of entropy, so there is nothing to brute-force.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
