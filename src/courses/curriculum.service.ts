import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Not, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Curriculum } from './curriculum.entity';
import type { UpdateCurriculumDto } from './dto/update-curriculum.dto';
import { Topic } from './topic.entity';
import { inTransaction } from '../database/transaction';

export interface CurriculumSnapshot {
  requiredHours: number;
  topics: Topic[];
}

@Injectable()
export class CurriculumService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(em: EntityManager = this.db.manager): Promise<CurriculumSnapshot> {
    const settings = await em.findOneByOrFail(Curriculum, { id: true });
    const topics = await em.find(Topic, { order: { position: 'ASC' } });
    return { requiredHours: settings.requiredHours, topics };
  }

  /**
   * Replaces the curriculum: the hours and the topic list in its order. A topic that
   * sessions already cover cannot be dropped (their attendance would lose its meaning).
   */
  async replace(actor: Actor, dto: UpdateCurriculumDto): Promise<CurriculumSnapshot> {
    const codes = dto.topics.map((t) => t.code);
    const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (repeated.length > 0) {
      throw new InvalidInputError([
        { field: 'topics', message: `topic ${repeated[0]} appears twice` },
      ]);
    }
    return inTransaction(this.db, async (em) => {
      await em.query('LOCK TABLE curriculum IN EXCLUSIVE MODE');
      const dropped = await em.find(Topic, { where: { code: Not(In(codes)) } });
      if (dropped.length > 0) {
        const [used] = await em.query<{ topic_code: string }[]>(
          'SELECT topic_code FROM course_session_topic WHERE topic_code = ANY($1) LIMIT 1',
          [dropped.map((t) => t.code)],
        );
        if (used) {
          throw new ConflictError(
            `Topic ${used.topic_code} is used by course sessions and cannot be removed`,
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
      return this.get(em);
    });
  }
}
