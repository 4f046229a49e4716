import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CoursesModule } from '../courses/courses.module';
import { CurriculumModule } from '../courses/curriculum.module';
import { EvaluationModule } from '../evaluation/evaluation.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { MaterialsModule } from '../materials/materials.module';
import { CalendarFeedController } from './calendar-feed.controller';
import { MeApiController } from './me.api.controller';
import { MePagesController } from './me.pages.controller';
import { PortalAccess } from './portal-access';
import { PortalLinksModule } from './portal-links';
import { PortalGuard } from './portal.guard';

/**
 * The volunteer's own side: the personal page behind their link (/v/{token}), the same
 * as JSON (/api/v1/me) and their calendar feed. Staff pages never live here.
 */
@Module({
  imports: [
    CalendarModule,
    CoursesModule,
    CurriculumModule,
    MaterialsModule,
    EvaluationModule,
    PortalLinksModule,
    VolunteersModule,
  ],
  controllers: [MeApiController, MePagesController, CalendarFeedController],
  providers: [PortalAccess, PortalGuard],
})
export class PortalModule {}
