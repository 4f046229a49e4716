import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { InvalidInputError, UnauthorizedError } from '../common/errors';
import { hashToken, newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AuthToken } from './auth-token.entity';
import { LoginLimiter } from './login-limiter';
import { PasswordReset } from './password-reset.entity';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { endSessionsOf } from './session-store';
import { StaffUser } from './staff-user.entity';
import { findWithPasswordHash } from './staff-users.repository';
import { preparedQuery } from '../database/prepared-query';
import { inTransaction } from '../database/transaction';

/** The bearer token or page session a change is made from, which stays signed in. */
export interface CurrentSignIn {
  token?: string | null;
  sessionId?: string | null;
}

const BAD_LOGIN = 'Email or password is wrong';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
  ) {}

  /** Exchanges email and password for a bearer token; unknown email and wrong password look alike. */
  async issueToken(email: string, password: string, address: string) {
    const user = await this.verifyPassword(email, password, address);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.tokenTtlHours * 3600_000);
    await inTransaction(this.db, async (em) => {
      // Expired tokens are swept on login so the table does not grow without bound.
      await em.delete(AuthToken, { userId: user.id, expiresAt: LessThan(new Date()) });
      await em.insert(AuthToken, { userId: user.id, tokenHash: hashToken(token), expiresAt });
    });
    return { token, expiresAt };
  }

  /**
   * The staff member with this email and password, for a bearer token or a page
   * session alike: rate limited, and an unknown email and a wrong password look alike.
   */
  async verifyPassword(email: string, password: string, address: string): Promise<Actor> {
    await this.limiter.assertAllowed(email, address);
    const user = await findWithPasswordHash(this.db, { email });
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    // A deactivated user gets the answer a wrong password gets: no hint the account exists.
    if (!user || !ok || !user.active) {
      await this.limiter.recordFailure(email, address);
      throw new UnauthorizedError(BAD_LOGIN);
    }
    await this.limiter.recordSuccess(email, address);
    return toActor(user);
  }

  /**
   * The actor a page session belongs to, or null when the user no longer exists, was
   * deactivated, or ended their sessions (a password change) after this one signed in.
   */
  async actorForSession(userId: string, epoch: number): Promise<Actor | null> {
    const user = await this.db
      .getRepository(StaffUser)
      .findOneBy({ id: userId, active: true, sessionEpoch: epoch });
    return user ? toActor(user) : null;
  }

  /** The epoch a new page session of this user signs in under. */
  async sessionEpochOf(userId: string): Promise<number> {
    const user = await this.db.getRepository(StaffUser).findOneByOrFail({ id: userId });
    return user.sessionEpoch;
  }

  /** After a completed password reset the owner may sign in at once, from anywhere. */
  async clearLoginFailures(email: string): Promise<void> {
    await this.limiter.clearAccount(email.toLowerCase());
  }

  /** Ends one bearer token (signing out of an integration); it answers 401 from then on. */
  async revokeToken(token: string): Promise<void> {
    await this.db.getRepository(AuthToken).delete({ tokenHash: hashToken(token) });
  }

  /**
   * Changes the signed-in user's password after checking the current one (rate limited
   * like a login, so a stolen session cannot guess it), and ends every other token and
   * session of theirs. Returns the session epoch the current page session continues under.
   */
  async changePassword(
    actor: Actor,
    passwords: { currentPassword: string; newPassword: string },
    current: CurrentSignIn,
    address: string,
  ): Promise<number> {
    await this.limiter.assertAllowed(actor.email, address);
    const user = await findWithPasswordHash(this.db, { id: actor.id });
    if (!user || !(await verifyPassword(user.passwordHash, passwords.currentPassword))) {
      await this.limiter.recordFailure(actor.email, address);
      throw new InvalidInputError([
        {
          field: 'currentPassword',
          code: 'wrongPassword',
          message: 'currentPassword is not your current password',
        },
      ]);
    }
    const passwordHash = await hashPassword(passwords.newPassword);
    return inTransaction(this.db, async (em) => {
      await em.update(StaffUser, { id: actor.id }, { passwordHash });
      const epoch = await this.endAccess(em, actor.id, current);
      await this.audit.record(em, actor, {
        action: 'user.password_changed',
        branchId: user.branchId,
        details: { userId: user.id },
      });
      return epoch;
    });
  }

  /**
   * Ends a user's bearer tokens, page sessions and reset links, all but the sign-in the
   * change is made from, in the caller's transaction; returns the new session epoch.
   */
  async endAccess(em: EntityManager, userId: string, keep: CurrentSignIn = {}): Promise<number> {
    const [[raised]] = await em.query<[{ session_epoch: number }[], number]>(
      'UPDATE staff_user SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch',
      [userId],
    );
    await em.query('DELETE FROM auth_token WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [
      userId,
      keep.token ? hashToken(keep.token) : null,
    ]);
    await endSessionsOf(em, userId, keep.sessionId ?? null);
    await em.delete(PasswordReset, { userId });
    return raised.session_epoch;
  }

  /** The actor behind a bearer token, or an UnauthorizedError. */
  async authenticate(token: string | null): Promise<Actor> {
    if (!token) {
      throw new UnauthorizedError();
    }
    // Every API request asks this: a prepared statement, not a query builder, so that
    // neither TypeORM nor PostgreSQL works the query out again per call.
    const [actor] = await preparedQuery<Actor>(
      this.db,
      'staff-actor-by-token',
      `SELECT u.id, u.name, u.email, u.role, u.branch_id AS "branchId"
         FROM staff_user u JOIN auth_token t ON t.user_id = u.id
        WHERE t.token_hash = $1 AND t.expires_at > now() AND u.active`,
      [hashToken(token)],
    );
    if (!actor) {
      throw new UnauthorizedError();
    }
    return actor;
  }
}

const toActor = (user: StaffUser): Actor => ({
  id: user.id,
  name: user.name,
  email: user.email,
  role: user.role,
  branchId: user.branchId,
});
