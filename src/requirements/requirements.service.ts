import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { todayInCopenhagen } from '../common/dates';
import {
  ConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { BUILT_IN_REQUIREMENT_KEYS, isExtra, type Readiness } from '../readiness/readiness';
import { ReadinessService } from '../readiness/readiness.service';
import type { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import type { CreateRequirementDto, RecordRequirementDto } from './dto/requirement.dto';

export interface RequirementView {
  key: string;
  nameDa: string;
  nameEn: string;
  description: string | null;
  renewMonths: number | null;
  materialId: string | null;
}

/** A material an extra requirement can be tied to: a topic material asking for confirmation. */
export interface ConfirmableMaterial {
  id: string;
  title: string;
}

/** One extra requirement on a volunteer's record: the rule's answer and who recorded it. */
export interface RequirementOnRecord extends RequirementView {
  met: boolean;
  state: 'missing' | 'met' | 'expired';
  metOn: string | null;
  validUntil: string | null;
  recordedBy: string | null;
  recordedAt: Date | null;
}

const SELECT_REQUIREMENT = `
  SELECT key, name_da AS "nameDa", name_en AS "nameEn", description,
         renew_months AS "renewMonths", material_id AS "materialId"
    FROM requirement`;

/**
 * Extra requirements (issue 15 part 4, issue 13): an administrator defines them for all
 * branches; a coordinator records them on a volunteer, or the volunteer's reading
 * confirmation meets one tied to a material. Readiness (src/readiness) includes them; a
 * new one re-derives everyone in its own transaction, a record re-derives the volunteer.
 */
@Injectable()
export class RequirementsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
    private readonly volunteers: VolunteersService,
  ) {}

  list(em: EntityManager = this.db.manager): Promise<RequirementView[]> {
    return em.query<RequirementView[]>(`${SELECT_REQUIREMENT} ORDER BY created_at, key`);
  }

  /** The topic materials asking for a confirmation, which a requirement may be tied to. */
  confirmableMaterials(): Promise<ConfirmableMaterial[]> {
    return this.db.query<ConfirmableMaterial[]>(
      `SELECT id, title FROM material
        WHERE topic_code IS NOT NULL AND requires_confirmation
        ORDER BY title, id`,
    );
  }

  /**
   * A new requirement for everyone: a matchable volunteer who lacks it stops being
   * matchable (with the mails of any lapse) in the same transaction, so no list ever
   * shows the new rule with the old marks.
   */
  async create(actor: Actor, dto: CreateRequirementDto): Promise<RequirementView> {
    if ((BUILT_IN_REQUIREMENT_KEYS as readonly string[]).includes(dto.key)) {
      throw new ConflictError(
        'Nøglen bruges af et indbygget krav. / The key is used by a built-in requirement.',
        'requirement_key_built_in',
      );
    }
    return this.uow.run(async (em) => {
      if (dto.materialId !== undefined) {
        const [material] = await em.query<unknown[]>(
          `SELECT 1 FROM material WHERE id = $1 AND topic_code IS NOT NULL AND requires_confirmation`,
          [dto.materialId],
        );
        if (!material) {
          throw new InvalidInputError([
            {
              field: 'materialId',
              code: 'notConfirmable',
              message:
                'Vælg et emnemateriale, der kræver læsebekræftelse. / Choose a topic material that asks for a reading confirmation.',
            },
          ]);
        }
      }
      const inserted = await em.query<{ key: string }[]>(
        `INSERT INTO requirement (key, name_da, name_en, description, renew_months, material_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [
          dto.key,
          dto.nameDa,
          dto.nameEn,
          dto.description || null,
          dto.renewMonths ?? null,
          dto.materialId ?? null,
        ],
      );
      if (inserted.length === 0) {
        throw new ConflictError(
          'Nøglen er allerede brugt. / The key is already taken.',
          'requirement_key_taken',
        );
      }
      await this.audit.record(em, actor, {
        action: 'requirement.created',
        branchId: null,
        details: { key: dto.key, materialId: dto.materialId ?? null },
      });
      await this.readiness.rederiveAfterRuleChange(em);
      return this.one(em, dto.key);
    });
  }

  /** "Met on": stored with who recorded it; the volunteer is re-derived (may become matchable). */
  async record(
    actor: Actor,
    volunteerId: string,
    key: string,
    dto: RecordRequirementDto,
  ): Promise<RequirementOnRecord> {
    if (dto.metOn > todayInCopenhagen()) {
      throw new InvalidInputError([
        { field: 'metOn', code: 'inFuture', message: 'metOn cannot be in the future' },
      ]);
    }
    return this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, volunteerId, true);
      const requirement = await this.one(em, key);
      if (requirement.materialId !== null) {
        throw new ConflictError(
          'Kravet opfyldes af den frivilliges læsebekræftelse, ikke af en registrering. / The requirement is met by the volunteer’s reading confirmation, not by a record.',
          'requirement_met_by_confirmation',
        );
      }
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `Ansøgningen er ${volunteer.status === 'withdrawn' ? 'trukket tilbage' : 'afslået'}. / The application is ${volunteer.status}.`,
          'volunteer_not_active',
        );
      }
      const before = (await this.onRecordOf(em, volunteer)).find((r) => r.key === key);
      if (before?.met) {
        throw new ConflictError(
          'Kravet er allerede opfyldt. / The requirement is already met.',
          'requirement_already_met',
        );
      }
      // A lapsed record (renewMonths) is replaced by the renewal.
      await em.query(
        `INSERT INTO volunteer_requirement_record (volunteer_id, requirement_key, met_on, recorded_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (volunteer_id, requirement_key)
         DO UPDATE SET met_on = excluded.met_on, recorded_by = excluded.recorded_by, recorded_at = now()`,
        [volunteer.id, key, dto.metOn, actor.id],
      );
      await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'requirement.recorded',
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: { key, metOn: dto.metOn },
      });
      return (await this.onRecordOf(em, volunteer)).find((r) => r.key === key)!;
    });
  }

  /** Takes a record back (entered by mistake); the volunteer is re-derived. */
  async unrecord(actor: Actor, volunteerId: string, key: string): Promise<void> {
    await this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, volunteerId, true);
      await this.one(em, key);
      const [existing] = await em.query<{ met_on: string }[]>(
        `SELECT to_char(met_on, 'YYYY-MM-DD') AS met_on FROM volunteer_requirement_record
          WHERE volunteer_id = $1 AND requirement_key = $2`,
        [volunteer.id, key],
      );
      if (!existing) {
        throw new NotFoundError('Requirement record');
      }
      await em.query(
        `DELETE FROM volunteer_requirement_record WHERE volunteer_id = $1 AND requirement_key = $2`,
        [volunteer.id, key],
      );
      await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'requirement.unrecorded',
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: { key, metOn: existing.met_on },
      });
    });
  }

  /**
   * Every extra requirement as it stands on the volunteer's record (the readiness rule's
   * answer). `described`: the volunteer and readiness the caller already read in the
   * actor's scope (the record page's detail), so they are not read and assessed again.
   */
  async onVolunteer(
    actor: Actor,
    volunteerId: string,
    described?: { volunteer: Volunteer; readiness: Readiness },
  ): Promise<RequirementOnRecord[]> {
    const em = this.db.manager;
    if (described && described.volunteer.id === volunteerId) {
      return this.onRecordOf(em, described.volunteer, described.readiness);
    }
    return this.onRecordOf(em, await this.volunteers.requireInScope(em, actor, volunteerId));
  }

  private async onRecordOf(
    em: EntityManager,
    volunteer: Volunteer,
    assessed?: Readiness,
  ): Promise<RequirementOnRecord[]> {
    const readiness = assessed ?? (await this.readiness.assess(em, volunteer));
    const definitions = await this.list(em);
    const records = await em.query<{ key: string; recordedBy: string | null; recordedAt: Date }[]>(
      `SELECT r.requirement_key AS key, s.name AS "recordedBy", r.recorded_at AS "recordedAt"
         FROM volunteer_requirement_record r LEFT JOIN staff_user s ON s.id = r.recorded_by
        WHERE r.volunteer_id = $1`,
      [volunteer.id],
    );
    return definitions.map((d) => {
      const assessed = readiness.requirements.filter(isExtra).find((r) => r.key === d.key)!;
      const record = records.find((r) => r.key === d.key);
      return {
        ...d,
        met: assessed.met,
        state: assessed.detail.state,
        metOn: assessed.detail.metOn,
        validUntil: assessed.detail.validUntil,
        recordedBy: d.materialId === null ? (record?.recordedBy ?? null) : null,
        recordedAt: d.materialId === null ? (record?.recordedAt ?? null) : null,
      };
    });
  }

  private async one(em: EntityManager, key: string): Promise<RequirementView> {
    const [requirement] = await em.query<RequirementView[]>(
      `${SELECT_REQUIREMENT} WHERE key = $1`,
      [key],
    );
    if (!requirement) {
      throw new NotFoundError('Requirement');
    }
    return requirement;
  }
}
