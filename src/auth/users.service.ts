import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import type { Actor } from '../common/auth/actor';
import { ConflictError, InvalidInputError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CreateUserDto } from './dto/create-user.dto';
import { hashPassword } from './passwords';
import { StaffUser } from './staff-user.entity';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor | null, dto: CreateUserDto) {
    // Hashing is slow on purpose; do it before the transaction holds any lock.
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (em) => {
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
    return this.db.query<
      { id: string; email: string; name: string; role: string; branchName: string | null }[]
    >(
      `SELECT u.id, u.email, u.name, u.role, b.name AS "branchName"
         FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id
        ORDER BY u.role, lower(u.name)`,
    );
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
      this.logger.log(`Created the bootstrap administrator ${admin.email}`);
    }
  }

  private async insert(em: EntityManager, dto: CreateUserDto, passwordHash: string) {
    let branch: Branch | null = null;
    if (dto.branchCode !== undefined) {
      branch = await em.findOneBy(Branch, { code: dto.branchCode });
      if (!branch) {
        throw new InvalidInputError([{ field: 'branchCode', message: 'no branch has this code' }]);
      }
    }
    const taken = await em
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: dto.email })
      .getExists();
    if (taken) {
      throw new ConflictError('A user with this email exists', 'user_email_taken');
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
