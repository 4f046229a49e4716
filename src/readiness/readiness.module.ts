import { Module } from '@nestjs/common';
import { CurriculumRepositoryModule } from '../courses/curriculum.repository';
import { ReadinessScheduler } from './readiness.scheduler';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [CurriculumRepositoryModule],
  providers: [ReadinessService, ReadinessScheduler],
  exports: [ReadinessService],
})
export class ReadinessModule {}
