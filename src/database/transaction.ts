import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableConflict } from './database-errors';

/** Four tries in all: a conflict that survives three fresh starts is reported as such. */
const MAX_ATTEMPTS = 4;
/** Grows with each attempt and is jittered, so the retried transactions fall apart. */
const RETRY_DELAY_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one transaction; a deadlock or serialization failure rolls it back and
 * runs it again, from the start, up to MAX_ATTEMPTS times (locks are taken in the order
 * of locks.ts, so this is the exception, not the plan). Every use case's transaction
 * goes through here, so `work` must do nothing outside the database that a second run
 * would repeat.
 */
export async function inTransaction<T>(
  db: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) {
        throw error;
      }
      await sleep(RETRY_DELAY_MS * attempt * (0.5 + Math.random()));
    }
  }
}
