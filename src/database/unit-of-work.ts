import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from './transaction';

/**
 * One use case, one transaction, for services that get it injected. Whatever the use case
 * also causes (a mail queued in the outbox, a cancelled booking) it calls itself with
 * this `em`, so it commits with the change or not at all.
 */
@Injectable()
export class UnitOfWork {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs the use case in one transaction, again from the start after a deadlock or a
   * serialization failure (inTransaction).
   */
  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }
}

@Global()
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
