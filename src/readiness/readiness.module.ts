import { Module } from '@nestjs/common';
import { CurriculumModule } from '../courses/curriculum.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReadinessRepository } from './readiness.repository';
import { ReadinessScheduler } from './readiness.scheduler';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [CurriculumModule, NotificationsModule],
  providers: [ReadinessService, ReadinessRepository, ReadinessScheduler],
  exports: [ReadinessService],
})
export class ReadinessModule {}
