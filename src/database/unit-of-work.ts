import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type DomainEvents, PendingEvents } from '../common/events';
import { isRetryableConflict } from './database-errors';

/** Four tries in all: a conflict that survives three fresh starts is reported as such. */
const MAX_ATTEMPTS = 4;
/** Grows with each attempt and is jittered, so the retried transactions fall apart. */
const RETRY_DELAY_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TransactionalHandler<K extends keyof DomainEvents> = (
  em: EntityManager,
  payload: DomainEvents[K],
) => Promise<void>;

/**
 * One use case, one transaction. Events raised inside it reach two kinds of listener:
 * transactional handlers run inside the same transaction before it commits (the email
 * outbox writes its rows there, so a change and its mail commit or vanish together),
 * and ordinary listeners hear of it only after the commit.
 */
@Injectable()
export class UnitOfWork {
  private readonly handlers = new Map<keyof DomainEvents, TransactionalHandler<never>[]>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly emitter: EventEmitter2,
  ) {}

  onEventInTransaction<K extends keyof DomainEvents>(
    name: K,
    handler: TransactionalHandler<K>,
  ): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
  }

  /**
   * Runs the use case in one transaction; a deadlock or serialization failure rolls it
   * back and runs it again, from the start, up to MAX_ATTEMPTS times (locks are taken
   * in the order of locks.ts, so this is the exception, not the plan).
   */
  async run<T>(work: (em: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const events = new PendingEvents();
      try {
        const result = await this.db.transaction(async (em) => {
          const value = await work(em, events);
          await this.dispatchInTransaction(em, events);
          return value;
        });
        events.emitTo(this.emitter);
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) {
          throw error;
        }
        await sleep(RETRY_DELAY_MS * attempt * (0.5 + Math.random()));
      }
    }
  }

  /** For work that opened its own transaction (`run` calls this itself). */
  async dispatchInTransaction(em: EntityManager, events: PendingEvents): Promise<void> {
    for (const { name, payload } of events.list()) {
      for (const handler of this.handlers.get(name) ?? []) {
        await (handler as TransactionalHandler<typeof name>)(em, payload as never);
      }
    }
  }
}

@Global()
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
