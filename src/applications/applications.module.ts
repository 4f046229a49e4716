import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ApplicationsApiController } from './applications.api.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [AuditModule, NotificationsModule, VolunteersModule],
  controllers: [ApplicationsApiController],
  providers: [ApplicationsService],
})
export class ApplicationsModule {}
