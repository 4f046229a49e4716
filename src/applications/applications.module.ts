import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ApplicationsApiController } from './applications.api.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [AuditModule, CoursesModule, VolunteersModule],
  controllers: [ApplicationsApiController],
  providers: [ApplicationsService],
})
export class ApplicationsModule {}
