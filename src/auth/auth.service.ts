import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { UnauthorizedError } from '../common/errors';
import { hashToken, newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AuthToken } from './auth-token.entity';
import { LoginLimiter } from './login-limiter';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { StaffUser } from './staff-user.entity';

const BAD_LOGIN = 'Email or password is wrong';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: LoginLimiter,
  ) {}

  /** Exchanges email and password for a bearer token; unknown email and wrong password look alike. */
  async issueToken(email: string, password: string, address: string) {
    const user = await this.verifyPassword(email, password, address);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.tokenTtlHours * 3600_000);
    await this.db.transaction(async (em) => {
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
    const user = await this.db
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!user || !ok) {
      await this.limiter.recordFailure(email, address);
      throw new UnauthorizedError(BAD_LOGIN);
    }
    await this.limiter.recordSuccess(email, address);
    return toActor(user);
  }

  /** The actor a page session belongs to, or null when the user no longer exists. */
  async actorById(userId: string): Promise<Actor | null> {
    const user = await this.db.getRepository(StaffUser).findOneBy({ id: userId });
    return user ? toActor(user) : null;
  }

  /** The actor behind a bearer token, or an UnauthorizedError. */
  async authenticate(token: string | null): Promise<Actor> {
    if (!token) {
      throw new UnauthorizedError();
    }
    const row = await this.db
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .innerJoin(AuthToken, 't', 't.user_id = u.id')
      .where('t.token_hash = :hash AND t.expires_at > now()', { hash: hashToken(token) })
      .getOne();
    if (!row) {
      throw new UnauthorizedError();
    }
    return toActor(row);
  }
}

const toActor = (user: StaffUser): Actor => ({
  id: user.id,
  name: user.name,
  email: user.email,
  role: user.role,
  branchId: user.branchId,
});
