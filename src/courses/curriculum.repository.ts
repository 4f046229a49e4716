import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Curriculum } from './curriculum.entity';
import { Topic } from './topic.entity';

export interface CurriculumSnapshot {
  requiredHours: number;
  topics: Topic[];
}

/**
 * Reads the curriculum. Readiness needs it to judge the course and the curriculum change
 * needs readiness to re-derive everyone, so reading lives here, below both.
 */
@Injectable()
export class CurriculumRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(em: EntityManager = this.db.manager): Promise<CurriculumSnapshot> {
    const settings = await em.findOneByOrFail(Curriculum, { id: true });
    const topics = await em.find(Topic, { order: { position: 'ASC' } });
    return { requiredHours: settings.requiredHours, topics };
  }

  /** One of these topics that a course session covers, or null: such a topic must stay. */
  async topicInUse(em: EntityManager, codes: string[]): Promise<string | null> {
    const [used] = await em.query<{ topic_code: string }[]>(
      'SELECT topic_code FROM course_session_topic WHERE topic_code = ANY($1) LIMIT 1',
      [codes],
    );
    return used?.topic_code ?? null;
  }
}

@Module({ providers: [CurriculumRepository], exports: [CurriculumRepository] })
export class CurriculumRepositoryModule {}
