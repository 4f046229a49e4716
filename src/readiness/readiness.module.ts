import { Module } from '@nestjs/common';
import { CurriculumModule } from '../courses/curriculum.module';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [CurriculumModule],
  providers: [ReadinessService],
  exports: [ReadinessService],
})
export class ReadinessModule {}
