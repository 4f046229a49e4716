import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * OWASP's first argon2id configuration (19 MiB, 2 passes, 1 lane) rather than the
 * library's heavier default (64 MiB, 3 passes, 4 lanes): on a 2-core server four lanes
 * only queue, and each sign-in cost ~250 ms of both cores against ~70 ms now. Hashes made
 * with other parameters still verify: argon2 keeps them in the hash.
 */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PASSWORD_HASH_OPTIONS);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password);
}

/**
 * A hash to verify against when the email is unknown, so that an unknown email costs
 * the same time as a wrong password and timing does not reveal who has an account.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  return decoyHash;
}
