import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import type { Actor } from '../common/auth/actor';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AuthService } from './auth.service';
import { CreateUserDto } from './dto/create-user.dto';
import type { UpdateOwnAccountDto, UpdateUserDto } from './dto/update-user.dto';
import { hashPassword, verifyPassword } from './passwords';
import { StaffUser } from './staff-user.entity';
import { findWithPasswordHash } from './staff-users.repository';
import { inTransaction } from '../database/transaction';

/** A staff user as the API and the pages show them. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: StaffUser['role'];
  branchCode: string | null;
  active: boolean;
  language: StaffUser['language'];
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  async create(actor: Actor | null, dto: CreateUserDto) {
    // Hashing is slow on purpose; do it before the transaction holds any lock.
    const passwordHash = await hashPassword(dto.password);
    return inTransaction(this.db, async (em) => {
      const user = await this.insert(em, dto, passwordHash);
      await this.audit.record(em, actor, {
        action: 'user.created',
        branchId: user.branchId,
        details: { userId: user.id, role: user.role },
      });
      return user;
    });
  }

  /** Every staff member with their branch, for the administrators' page. */
  list() {
    return this.db.query<(UserView & { branchName: string | null })[]>(
      `SELECT u.id, u.email, u.name, u.role, u.active, u.language,
              b.code AS "branchCode", b.name AS "branchName"
         FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id
        ORDER BY u.active DESC, u.role, lower(u.name)`,
    );
  }

  async view(id: string): Promise<UserView> {
    return this.viewIn(this.db.manager, id);
  }

  /**
   * An administrator changes a user's name, role, branch, language or whether they may
   * sign in. Deactivating ends the user's tokens and page sessions in the same
   * transaction. Klar always keeps one active administrator.
   */
  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserView> {
    return inTransaction(this.db, async (em) => {
      // Every active administrator first, always in the same order: two administrators
      // demoting each other at once then take turns, and the second sees the first's change.
      const admins = await em.query<{ id: string }[]>(
        `SELECT id FROM staff_user WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
      );
      const user = await em.findOne(StaffUser, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) {
        throw new NotFoundError('User');
      }
      const role = dto.role ?? user.role;
      const active = dto.active ?? user.active;
      const branchId = await this.branchFor(em, role, dto.branchCode, user.branchId);
      if (dto.active === false && user.id === actor.id) {
        throw new ConflictError(
          'Du kan ikke deaktivere din egen konto. / You cannot deactivate your own account.',
          'user_self_deactivation',
        );
      }
      const stillAdmin = role === 'admin' && active;
      if (!stillAdmin && admins.some((a) => a.id === user.id) && admins.length === 1) {
        throw new ConflictError(
          'Klar skal have mindst én aktiv administrator. / Klar needs at least one active administrator.',
          'last_admin',
        );
      }
      const changes: Partial<StaffUser> = {
        name: dto.name ?? user.name,
        language: dto.language ?? user.language,
        role,
        branchId,
        active,
      };
      const changed = (Object.keys(changes) as (keyof StaffUser)[]).filter(
        (key) => changes[key] !== user[key],
      );
      if (changed.length > 0) {
        await em.update(StaffUser, { id }, changes);
        if (user.active && !active) {
          await this.auth.endAccess(em, id);
        }
        const after = await this.viewIn(em, id);
        await this.audit.record(em, actor, {
          action: 'user.updated',
          branchId: branchId ?? user.branchId,
          details: {
            userId: id,
            changed: changed.join(','),
            role: after.role,
            branchCode: after.branchCode,
            active: after.active,
            language: after.language,
          },
        });
      }
      return this.viewIn(em, id);
    });
  }

  /** A staff member changes their own name or language. */
  async updateOwn(actor: Actor, dto: UpdateOwnAccountDto): Promise<UserView> {
    return inTransaction(this.db, async (em) => {
      const changes = { name: dto.name, language: dto.language };
      const given = Object.fromEntries(
        Object.entries(changes).filter(([, value]) => value !== undefined),
      );
      if (Object.keys(given).length > 0) {
        await em.update(StaffUser, { id: actor.id }, given);
        await this.audit.record(em, actor, {
          action: 'user.updated',
          branchId: actor.branchId,
          details: { userId: actor.id, changed: Object.keys(given).join(',') },
        });
      }
      return this.viewIn(em, actor.id);
    });
  }

  /**
   * Takes a publicly known password (the demo's) away from an account: a random one
   * replaces it and the account's sessions end. Whether the account had it.
   */
  async retirePublicPassword(email: string, publicPassword: string): Promise<boolean> {
    const user = await findWithPasswordHash(this.db, { email });
    if (!user || !(await verifyPassword(user.passwordHash, publicPassword))) {
      return false;
    }
    const passwordHash = await hashPassword(newToken());
    await inTransaction(this.db, async (em) => {
      await em.update(StaffUser, { id: user.id }, { passwordHash });
      await this.auth.endAccess(em, user.id);
      await this.audit.record(em, null, {
        action: 'user.public_password_removed',
        branchId: user.branchId,
        details: { userId: user.id },
      });
    });
    return true;
  }

  private async branchFor(
    em: EntityManager,
    role: StaffUser['role'],
    branchCode: string | undefined,
    current: string | null,
  ): Promise<string | null> {
    if (role === 'admin') {
      if (branchCode !== undefined) {
        throw new InvalidInputError([
          {
            field: 'branchCode',
            code: 'adminHasNoBranch',
            message: 'an administrator belongs to no branch',
          },
        ]);
      }
      return null;
    }
    if (branchCode === undefined) {
      if (!current) {
        throw new InvalidInputError([
          {
            field: 'branchCode',
            code: 'coordinatorNeedsBranch',
            message: 'branchCode is required for a coordinator',
          },
        ]);
      }
      return current;
    }
    const branch = await em.findOneBy(Branch, { code: branchCode });
    if (!branch) {
      throw new InvalidInputError([
        { field: 'branchCode', code: 'unknownBranch', message: 'no branch has this code' },
      ]);
    }
    return branch.id;
  }

  private async viewIn(em: EntityManager, id: string): Promise<UserView> {
    const [user] = await em.query<UserView[]>(
      `SELECT u.id, u.email, u.name, u.role, b.code AS "branchCode", u.active, u.language
         FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id
        WHERE u.id = $1`,
      [id],
    );
    if (!user) {
      throw new NotFoundError('User');
    }
    return user;
  }

  /** Creates BOOTSTRAP_ADMIN_EMAIL at start-up unless a user with that email exists. */
  async ensureBootstrapAdmin(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) {
      return;
    }
    const exists = await this.db
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: admin.email })
      .getExists();
    if (!exists) {
      await this.create(null, {
        email: admin.email.toLowerCase(),
        name: 'Administrator',
        role: 'admin',
        password: admin.password,
      });
      this.logger.log('Created the bootstrap administrator (BOOTSTRAP_ADMIN_EMAIL)');
    }
  }

  private async insert(em: EntityManager, dto: CreateUserDto, passwordHash: string) {
    let branch: Branch | null = null;
    if (dto.branchCode !== undefined) {
      branch = await em.findOneBy(Branch, { code: dto.branchCode });
      if (!branch) {
        throw new InvalidInputError([
          { field: 'branchCode', code: 'unknownBranch', message: 'no branch has this code' },
        ]);
      }
    }
    const taken = await em
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: dto.email })
      .getExists();
    if (taken) {
      throw new ConflictError(
        'Der findes allerede en bruger med denne e-mailadresse. / A user with this email exists.',
        'user_email_taken',
      );
    }
    const user = await em.save(
      em.create(StaffUser, {
        email: dto.email,
        name: dto.name,
        role: dto.role,
        branchId: dto.role === 'coordinator' ? branch!.id : null,
        passwordHash,
      }),
    );
    return { ...user, branchCode: dto.role === 'coordinator' ? branch!.code : null };
  }
}
