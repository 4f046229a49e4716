import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { PasswordReset } from '../auth/password-reset.entity';
import { hashPassword } from '../auth/passwords';
import { StaffUser } from '../auth/staff-user.entity';
import { NotFoundError } from '../common/errors';
import { type LimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';
import { hashToken, newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { OutboxService } from '../notifications/outbox.service';
import { inTransaction } from '../database/transaction';

export const RESET_LINK_VALID_MINUTES = 60;
/**
 * Unused links a user may hold at once; requests beyond it are silently dropped, so the
 * public form cannot be used to flood a colleague's inbox (and answers the same).
 */
const MAX_LIVE_LINKS = 3;

/** The page a reset link opens: `/nulstil-adgangskode/{token}`. */
export const RESET_ROUTE = 'nulstil-adgangskode';

/**
 * "Forgot password": a single-use link, valid for an hour, mailed to an active staff
 * member's address. Only the token's hash is stored. Setting the new password ends every
 * token and page session of the user and clears the account's failed-login counter.
 */
@Injectable()
export class PasswordResetService {
  private readonly perClient: LimitRule;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
  ) {
    // The public form's per-client limit, like applications and link requests: 429.
    this.perClient = {
      name: 'password-reset-client',
      limit: config.applyLimitPerClient,
      windowSeconds: 3600,
    };
  }

  /** Mails a link if the address is an active staff member's; the caller cannot tell. */
  async request(email: string, client: string): Promise<void> {
    await this.limiter.consume(this.perClient, [client]);
    await inTransaction(this.db, async (em) => {
      // The user's row is locked so concurrent requests count each other's links.
      const user = await em
        .getRepository(StaffUser)
        .createQueryBuilder('u')
        .where('lower(u.email) = lower(:email) AND u.active', { email })
        .setLock('pessimistic_write')
        .getOne();
      if (!user) {
        return;
      }
      await em.query('DELETE FROM password_reset WHERE user_id = $1 AND expires_at <= now()', [
        user.id,
      ]);
      if ((await em.countBy(PasswordReset, { userId: user.id })) >= MAX_LIVE_LINKS) {
        return;
      }
      const token = newToken();
      const [reset] = await em.query<{ id: string }[]>(
        `INSERT INTO password_reset (user_id, token_hash, expires_at)
         VALUES ($1, $2, now() + make_interval(mins => $3)) RETURNING id`,
        [user.id, hashToken(token), RESET_LINK_VALID_MINUTES],
      );
      await this.outbox.enqueue(em, {
        key: `password-reset:${reset.id}`,
        to: user.email,
        template: 'password-reset',
        locale: user.language,
        data: {
          name: user.name,
          resetUrl: `${this.config.publicUrl}/${RESET_ROUTE}/${token}`,
          minutes: RESET_LINK_VALID_MINUTES,
        },
      });
    });
  }

  /** Whether the link still works (for the page, before the person types a password). */
  async isUsable(token: string): Promise<boolean> {
    const [row] = await this.db.query<unknown[]>(
      `SELECT 1 FROM password_reset r JOIN staff_user u ON u.id = r.user_id
        WHERE r.token_hash = $1 AND r.expires_at > now() AND u.active`,
      [hashToken(token)],
    );
    return row !== undefined;
  }

  /** Sets the new password with the link, once; a used, expired or unknown link is a 404. */
  async complete(token: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    const email = await inTransaction(this.db, async (em) => {
      const [used] = await em.query<[{ user_id: string }[], number]>(
        'DELETE FROM password_reset WHERE token_hash = $1 AND expires_at > now() RETURNING user_id',
        [hashToken(token)],
      );
      const user = used[0]
        ? await em.findOne(StaffUser, {
            where: { id: used[0].user_id, active: true },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!user) {
        throw new NotFoundError('Password reset link');
      }
      await em.update(StaffUser, { id: user.id }, { passwordHash });
      await this.auth.endAccess(em, user.id);
      // The holder of the link acted as the user.
      await this.audit.record(
        em,
        { ...user },
        {
          action: 'user.password_reset',
          branchId: user.branchId,
          details: { userId: user.id },
        },
      );
      return user.email;
    });
    await this.auth.clearLoginFailures(email);
  }
}
