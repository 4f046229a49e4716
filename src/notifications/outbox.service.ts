import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError, NotFoundError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { inTransaction } from '../database/transaction';
import type { Locale } from '../volunteers/volunteer.entity';
import { EmailTemplates } from './email-templates';
import { type OutboxAttachment, OutboxMessage, type OutboxStatus } from './outbox-message.entity';
import { forgetEmlFiles } from './mailer.service';

export interface QueuedEmail {
  /** Unique per reason: queuing the same key again is a no-op. */
  key: string;
  to: string;
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  attachments?: OutboxAttachment[];
  /** Empty the address and bodies once sent (the farewell to an erased person). */
  eraseAfterSend?: boolean;
}

/** A claim on a message is held this long; a worker that died mid-send frees it then. */
const CLAIM_LEASE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: EmailTemplates,
    private readonly audit: AuditService,
  ) {}

  /** Renders and queues an email inside the caller's transaction. */
  async enqueue(em: EntityManager, email: QueuedEmail): Promise<void> {
    const rendered = this.templates.render(email.template, email.locale, email.data);
    await em
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({
        dedupeKey: email.key,
        template: email.template,
        recipient: email.to,
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        attachments: email.attachments ?? [],
        status: 'pending',
        attempts: 0,
        eraseAfterSend: email.eraseAfterSend ?? false,
      })
      .orIgnore()
      .execute();
  }

  /**
   * Takes up to `limit` due messages for this worker. SKIP LOCKED lets several
   * instances claim side by side without waiting on or sharing a row, and moving
   * next_attempt_at past the lease in the same statement keeps a claimed row from being
   * claimed again while it is being sent.
   */
  async claimDue(limit: number): Promise<OutboxMessage[]> {
    const [rows] = await this.db.query<[Record<string, unknown>[], number]>(
      `UPDATE outbox_message m
          SET attempts = m.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2 / 1000.0)
        WHERE m.id IN (SELECT id FROM outbox_message
                        WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at
                        LIMIT $1
                        FOR UPDATE SKIP LOCKED)
        RETURNING m.id`,
      [limit, CLAIM_LEASE_MS],
    );
    if (rows.length === 0) {
      return [];
    }
    return this.db.getRepository(OutboxMessage).find({
      where: rows.map((r) => ({ id: r.id as string })),
      order: { createdAt: 'ASC' },
    });
  }

  /** A farewell to an erased person keeps nothing of them once it is out (ERASED_MESSAGE). */
  async markSent(id: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_message SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`,
      [id],
    );
    await this.forgetOnceOut(id);
  }

  /** A farewell's row and its .eml file keep nothing once it is out or given up on. */
  private async forgetOnceOut(id: string): Promise<void> {
    const farewell = await this.db.query<{ id: string; createdAt: Date }[]>(
      `SELECT id, created_at AS "createdAt" FROM outbox_message WHERE id = $1 AND erase_after_send`,
      [id],
    );
    if (farewell.length > 0) {
      await this.db.query(`${ERASED_MESSAGE} WHERE id = $1`, [id]);
      await forgetEmlFiles(this.config.dataDir, farewell);
    }
  }

  /** Retries with exponential backoff, then gives up and leaves it for an administrator. */
  async markFailed(message: OutboxMessage, error: string): Promise<OutboxStatus> {
    const { maxAttempts, retryBaseMs } = this.config.outbox;
    const giveUp = message.attempts >= maxAttempts;
    const delay = Math.min(retryBaseMs * 2 ** (message.attempts - 1), MAX_BACKOFF_MS);
    await this.db.query(
      `UPDATE outbox_message
          SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4 / 1000.0)
        WHERE id = $1`,
      [message.id, giveUp ? 'failed' : 'pending', error.slice(0, 2000), delay],
    );
    if (giveUp) {
      // An erased person's address is not kept for a mail that will never go.
      await this.forgetOnceOut(message.id);
    }
    return giveUp ? 'failed' : 'pending';
  }

  list(status: OutboxStatus, limit: number, offset: number) {
    return this.db.getRepository(OutboxMessage).findAndCount({
      where: { status },
      order: { createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  /**
   * An administrator sends a failed message again: it goes back in the queue as if new
   * (attempts from zero, due now), so the worker's back-off starts over. A message whose
   * body or address was removed (retention, erasure) has nothing left to send.
   */
  async resend(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.db, async (em) => {
      const message = await em.findOne(OutboxMessage, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!message) {
        throw new NotFoundError('Message');
      }
      // Purged first: for a purged message that is the reason it cannot go again.
      if (isPurged(message)) {
        throw new ConflictError(
          'The content of this message has been removed, so it cannot be sent again',
          'outbox_purged',
        );
      }
      if (message.status !== 'failed') {
        throw new ConflictError(
          `Only a failed message can be sent again; this one is ${message.status}`,
          'outbox_not_failed',
        );
      }
      await em.query(
        `UPDATE outbox_message
            SET status = 'pending', attempts = 0, next_attempt_at = now()
          WHERE id = $1`,
        [id],
      );
      await this.audit.record(em, actor, {
        action: 'outbox.resent',
        branchId: null,
        details: { template: message.template, attempts: message.attempts },
      });
    });
  }
}

/**
 * Empties a message of everything about its recipient; the metadata (template, status,
 * times) stays. Followed by the caller's WHERE.
 */
export const ERASED_MESSAGE = `UPDATE outbox_message
    SET recipient = '', subject = '', text_body = '', html_body = '', attachments = '[]'::jsonb,
        last_error = NULL`;

/** Retention and erasure empty a sent-or-failed message's body and address; nothing is left to send. */
export const isPurged = (m: Pick<OutboxMessage, 'textBody' | 'recipient' | 'bodyPurgedAt'>) =>
  m.bodyPurgedAt !== null || m.textBody === '' || m.recipient === '';
