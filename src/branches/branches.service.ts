import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError } from '../common/errors';
import { Branch } from './branch.entity';
import { CreateBranchDto } from './dto/create-branch.dto';
import { inTransaction } from '../database/transaction';

@Injectable()
export class BranchesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Branch[]> {
    return this.db.getRepository(Branch).find({ order: { name: 'ASC' } });
  }

  async create(actor: Actor, dto: CreateBranchDto): Promise<Branch> {
    return inTransaction(this.db, async (em) => {
      if (await em.existsBy(Branch, { code: dto.code })) {
        throw new ConflictError(`Branch code ${dto.code} is taken`, 'branch_code_taken');
      }
      const branch = await em.save(
        em.create(Branch, { code: dto.code, name: dto.name, postcodes: dto.postcodes ?? [] }),
      );
      await this.audit.record(em, actor, {
        action: 'branch.created',
        branchId: branch.id,
        details: { code: branch.code },
      });
      return branch;
    });
  }

  /** The branch covering a postcode, to suggest it on the application form. */
  async codeForPostcode(postcode: string): Promise<string | null> {
    const branch = await this.db
      .getRepository(Branch)
      .createQueryBuilder('b')
      .where(':postcode = ANY(b.postcodes)', { postcode })
      .orderBy('b.name')
      .getOne();
    return branch?.code ?? null;
  }
}
