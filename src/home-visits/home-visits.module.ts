import { Module } from '@nestjs/common';
import { HomeVisitsPagesController } from './home-visits.pages.controller';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { HomeVisitsApiController } from './home-visits.api.controller';
import { HomeVisitsService } from './home-visits.service';

@Module({
  imports: [AuditModule, AuthModule, NotificationsModule, ReadinessModule, VolunteersModule],
  controllers: [HomeVisitsApiController, HomeVisitsPagesController],
  providers: [HomeVisitsService],
  exports: [HomeVisitsService],
})
export class HomeVisitsModule {}
