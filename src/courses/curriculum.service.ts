import { Injectable } from '@nestjs/common';
import { type EntityManager, Not, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError, InvalidInputError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { ReadinessService } from '../readiness/readiness.service';
import { Curriculum } from './curriculum.entity';
import { CurriculumRepository, type CurriculumSnapshot } from './curriculum.repository';
import type { UpdateCurriculumDto } from './dto/update-curriculum.dto';
import { Topic } from './topic.entity';

export type { CurriculumSnapshot } from './curriculum.repository';

@Injectable()
export class CurriculumService {
  constructor(
    private readonly curriculum: CurriculumRepository,
    private readonly readiness: ReadinessService,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  get(em?: EntityManager): Promise<CurriculumSnapshot> {
    return this.curriculum.get(em);
  }

  /**
   * Replaces the curriculum: the hours and the topic list in its order. A topic that
   * sessions already cover cannot be dropped (their attendance would lose its meaning).
   * Everyone the course rule can move is re-derived in the same transaction, so no list
   * shows the new curriculum with the old marks.
   */
  async replace(actor: Actor, dto: UpdateCurriculumDto): Promise<CurriculumSnapshot> {
    const codes = dto.topics.map((t) => t.code);
    const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (repeated.length > 0) {
      throw new InvalidInputError([
        {
          field: 'topics',
          code: 'duplicate',
          message: `emnet ${repeated[0]} står der to gange / topic ${repeated[0]} appears twice`,
        },
      ]);
    }
    return this.uow.run(async (em) => {
      await em.query('LOCK TABLE curriculum IN EXCLUSIVE MODE');
      const dropped = await em.find(Topic, { where: { code: Not(In(codes)) } });
      if (dropped.length > 0) {
        const used = await this.curriculum.topicInUse(
          em,
          dropped.map((t) => t.code),
        );
        if (used) {
          throw new ConflictError(
            `Emnet ${used} bruges af kursusgange og kan ikke fjernes. / Topic ${used} is used by course sessions and cannot be removed.`,
            'topic_in_use',
          );
        }
        // Removing a topic would take its national materials (and the confirmations given)
        // with it: the administrator deletes those first, on purpose and audited.
        const [withMaterial] = await em.query<{ code: string }[]>(
          `SELECT topic_code AS code FROM material WHERE topic_code = ANY($1) LIMIT 1`,
          [dropped.map((t) => t.code)],
        );
        if (withMaterial) {
          throw new ConflictError(
            `Emnet ${withMaterial.code} har materialer og kan ikke fjernes. / Topic ${withMaterial.code} has materials and cannot be removed.`,
            'topic_in_use',
          );
        }
        await em.delete(Topic, { code: In(dropped.map((t) => t.code)) });
      }
      await em.upsert(
        Topic,
        dto.topics.map((t, i) => ({
          code: t.code,
          titleDa: t.title,
          titleEn: t.titleEn,
          mandatory: t.mandatory,
          position: i + 1,
        })),
        ['code'],
      );
      await em.update(Curriculum, { id: true }, { requiredHours: dto.requiredHours });
      await this.audit.record(em, actor, {
        action: 'curriculum.replaced',
        branchId: null,
        details: { requiredHours: dto.requiredHours, topics: codes.join(',') },
      });
      await this.readiness.rederiveAfterRuleChange(em);
      return this.get(em);
    });
  }
}
