import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { Branch } from './branch.entity';
import { CreateBranchDto } from './dto/create-branch.dto';
import type { UpdateBranchDto } from './dto/update-branch.dto';
import { inTransaction } from '../database/transaction';

/** Deactivating a branch that still has people or courses would strand them. */
export class BranchBusyError extends ConflictError {
  constructor(
    readonly activeVolunteers: number,
    readonly activeCourses: number,
  ) {
    super(
      `${busyRefusal(activeVolunteers, activeCourses, 'da')} / ${busyRefusal(activeVolunteers, activeCourses, 'en')}`,
      'branch_busy',
    );
  }
}

/** Why a busy branch stays active, counted as a person says it ("1 aktivt kursus"); no zeros. */
export function busyRefusal(volunteers: number, courses: number, lang: 'da' | 'en'): string {
  const da = [
    volunteers > 0 && `${volunteers} ${volunteers === 1 ? 'aktiv frivillig' : 'aktive frivillige'}`,
    courses > 0 && `${courses} ${courses === 1 ? 'aktivt kursus' : 'aktive kurser'}`,
  ];
  const en = [
    volunteers > 0 && `${volunteers} active ${volunteers === 1 ? 'volunteer' : 'volunteers'}`,
    courses > 0 && `${courses} active ${courses === 1 ? 'course' : 'courses'}`,
  ];
  const has = (parts: (string | false)[], and: string) => parts.filter(Boolean).join(and);
  return lang === 'da'
    ? `Lokalafdelingen kan ikke deaktiveres, fordi den har ${has(da, ' og ')}. Flyt eller afslut dem først.`
    : `The branch cannot be deactivated because it has ${has(en, ' and ')}. Move or close them first.`;
}

/** Where an application goes, and why: shown to the applicant before and after they apply. */
export interface BranchRoute {
  branch: Branch;
  by: 'choice' | 'postcode' | 'fallback';
}

@Injectable()
export class BranchesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every branch, inactive ones too: the administrator's list. */
  list(): Promise<Branch[]> {
    return this.db.getRepository(Branch).find({ order: { name: 'ASC' } });
  }

  /** The branches an applicant may choose. */
  listActive(): Promise<Branch[]> {
    return this.db.getRepository(Branch).find({ where: { active: true }, order: { name: 'ASC' } });
  }

  async get(code: string): Promise<Branch> {
    const branch = await this.db.getRepository(Branch).findOneBy({ code });
    if (!branch) {
      throw new NotFoundError('Branch');
    }
    return branch;
  }

  async create(actor: Actor, dto: CreateBranchDto): Promise<Branch> {
    return inTransaction(this.db, async (em) => {
      if (await em.existsBy(Branch, { code: dto.code })) {
        throw new ConflictError(
          `Koden ${dto.code} bruges allerede af en anden lokalafdeling. / Branch code ${dto.code} is taken.`,
          'branch_code_taken',
        );
      }
      const branch = await em.save(
        em.create(Branch, {
          code: dto.code,
          name: dto.name,
          postcodes: dto.postcodes ?? [],
          contactEmail: null,
          active: true,
          fallback: false,
        }),
      );
      await this.audit.record(em, actor, {
        action: 'branch.created',
        branchId: branch.id,
        details: { code: branch.code },
      });
      return branch;
    });
  }

  /**
   * An administrator changes a branch. Making it the fallback takes the mark from the
   * branch that had it, in the same transaction, so there is never none in between; a
   * branch is deactivated only once nobody and no course depends on it.
   */
  async update(actor: Actor, code: string, dto: UpdateBranchDto): Promise<Branch> {
    return inTransaction(this.db, async (em) => {
      if (dto.fallback) {
        // Two branches made the fallback at once would each clear the old one and then
        // collide on the unique index; taken first, this lock makes the second wait and move it.
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('branch_fallback'))`);
      }
      // FOR UPDATE: an application taken meanwhile holds the row FOR SHARE, so it either
      // lands before the check below counts it or sees the branch inactive.
      const branch = await em.findOne(Branch, {
        where: { code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!branch) {
        throw new NotFoundError('Branch');
      }
      const active = dto.active ?? branch.active;
      const fallback = dto.fallback ?? branch.fallback;
      if (!active && fallback) {
        throw new InvalidInputError([
          {
            field: dto.fallback ? 'fallback' : 'active',
            code: 'inactiveFallback',
            message: 'an inactive branch cannot be the fallback',
          },
        ]);
      }
      if (branch.active && !active) {
        const busy = await this.activeDependants(em, branch.id);
        if (busy.volunteers > 0 || busy.courses > 0) {
          throw new BranchBusyError(busy.volunteers, busy.courses);
        }
      }
      if (fallback && !branch.fallback) {
        await em.update(Branch, { fallback: true }, { fallback: false });
      }
      const before = { ...branch };
      branch.name = dto.name ?? branch.name;
      branch.postcodes = dto.postcodes ? [...new Set(dto.postcodes)] : branch.postcodes;
      branch.contactEmail = dto.contactEmail === undefined ? branch.contactEmail : dto.contactEmail;
      branch.active = active;
      branch.fallback = fallback;
      await em.save(branch);
      const changed = (['name', 'postcodes', 'contactEmail', 'active', 'fallback'] as const).filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(branch[key]),
      );
      await this.audit.record(em, actor, {
        action: 'branch.updated',
        branchId: branch.id,
        details: { code: branch.code, changed: changed.join(', ') },
      });
      return branch;
    });
  }

  /**
   * Where an application goes: the chosen branch, else the active branch covering the
   * postcode, else the fallback; null when none applies. A chosen branch that does not
   * exist or is inactive is no route (the caller says so on `branchCode`).
   */
  async route(
    choice: string | undefined,
    postcode: string,
    em: DataSource | EntityManager = this.db,
  ): Promise<BranchRoute | null> {
    const repo = em.getRepository(Branch);
    if (choice !== undefined) {
      const branch = await repo.findOneBy({ code: choice, active: true });
      return branch ? { branch, by: 'choice' } : null;
    }
    const covering = await repo
      .createQueryBuilder('b')
      .where(':postcode = ANY(b.postcodes)', { postcode })
      .andWhere('b.active')
      .orderBy('b.name')
      .getOne();
    if (covering) {
      return { branch: covering, by: 'postcode' };
    }
    const fallback = await repo.findOneBy({ fallback: true, active: true });
    return fallback ? { branch: fallback, by: 'fallback' } : null;
  }

  /** The branch covering a postcode, to suggest it on the application form. */
  async codeForPostcode(postcode: string): Promise<string | null> {
    return (await this.route(undefined, postcode))?.branch.code ?? null;
  }

  private async activeDependants(em: EntityManager, branchId: string) {
    const [row] = await em.query<{ volunteers: number; courses: number }[]>(
      `SELECT
         (SELECT count(*)::int FROM volunteer v
           WHERE v.branch_id = $1 AND v.status = 'active') AS volunteers,
         (SELECT count(*)::int FROM course c
           WHERE c.branch_id = $1 AND c.cancelled_at IS NULL
             -- A course is over once its last live session has ended; one without
             -- sessions yet is still being planned.
             AND (NOT EXISTS (SELECT 1 FROM course_session s
                               WHERE s.course_id = c.id AND s.cancelled_at IS NULL)
                  OR EXISTS (SELECT 1 FROM course_session s
                              WHERE s.course_id = c.id AND s.cancelled_at IS NULL
                                AND s.ends_at > now()))) AS courses`,
      [branchId],
    );
    return row;
  }
}
