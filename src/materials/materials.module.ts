import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CurriculumModule } from '../courses/curriculum.module';
import { PortalAccess } from '../portal/portal-access';
import { ReadinessModule } from '../readiness/readiness.module';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { MaterialsApiController } from './materials.api.controller';
import { MaterialsPagesController } from './materials.pages.controller';
import { MaterialsService } from './materials.service';
import { MeMaterialsApiController } from './me-materials.api.controller';
import { pageUpload } from '../common/pages/page-upload';
import { MAX_MATERIAL_BYTES } from './material-files';

/** Course materials and reading confirmations (issue 13): staff uploads, volunteer downloads. */
@Module({
  imports: [AuditModule, AuthModule, CurriculumModule, PortalLinksModule, ReadinessModule],
  controllers: [MaterialsApiController, MeMaterialsApiController, MaterialsPagesController],
  providers: [MaterialsService, PortalAccess, PortalGuard],
  exports: [MaterialsService],
})
export class MaterialsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(pageUpload(MAX_MATERIAL_BYTES))
      .forRoutes(
        { path: 'staff/materials', method: RequestMethod.POST },
        { path: 'staff/materials/:id/versions', method: RequestMethod.POST },
      );
  }
}
