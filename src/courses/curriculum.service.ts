import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Curriculum } from './curriculum.entity';
import { Topic } from './topic.entity';

export interface CurriculumSnapshot {
  requiredHours: number;
  topics: Topic[];
}

@Injectable()
export class CurriculumService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(em: EntityManager = this.db.manager): Promise<CurriculumSnapshot> {
    const settings = await em.findOneByOrFail(Curriculum, { id: true });
    const topics = await em.find(Topic, { order: { position: 'ASC' } });
    return { requiredHours: settings.requiredHours, topics };
  }
}
