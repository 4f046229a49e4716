import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { PortalAccess } from '../portal/portal-access';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { MaterialsApiController } from './materials.api.controller';
import { MaterialsService } from './materials.service';
import { MeMaterialsApiController } from './me-materials.api.controller';

/** Course materials and reading confirmations (issue 13): staff uploads, volunteer downloads. */
@Module({
  imports: [AuditModule, AuthModule, PortalLinksModule],
  controllers: [MaterialsApiController, MeMaterialsApiController],
  providers: [MaterialsService, PortalAccess, PortalGuard],
  exports: [MaterialsService],
})
export class MaterialsModule {}
