import { Module } from '@nestjs/common';
import { CurriculumRepositoryModule } from '../courses/curriculum.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchedulingModule } from '../scheduling/scheduled-runs';
import { ReadinessRepository } from './readiness.repository';
import { ReadinessScheduler } from './readiness.scheduler';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [CurriculumRepositoryModule, NotificationsModule, SchedulingModule],
  providers: [ReadinessService, ReadinessRepository, ReadinessScheduler],
  exports: [ReadinessService],
})
export class ReadinessModule {}
