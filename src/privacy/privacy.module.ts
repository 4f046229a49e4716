import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { ConsentTextKeeper } from './consent-text.keeper';
import { PrivacyNoticePagesController } from './privacy-notice.pages.controller';

/** Issue 14: the privacy notice and the versions of the consent text. */
@Module({
  imports: [BranchesModule],
  controllers: [PrivacyNoticePagesController],
  providers: [ConsentTextKeeper],
})
export class PrivacyModule {}
