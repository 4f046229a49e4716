import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type DomainEvents, PendingEvents } from '../common/events';
import { inTransaction } from './transaction';

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
   * Runs the use case in one transaction, again from the start after a deadlock or a
   * serialization failure (inTransaction), with the events of the attempt that committed.
   */
  async run<T>(work: (em: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    let events = new PendingEvents();
    const result = await inTransaction(this.db, async (em) => {
      events = new PendingEvents();
      const value = await work(em, events);
      await this.dispatchInTransaction(em, events);
      return value;
    });
    events.emitTo(this.emitter);
    return result;
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
