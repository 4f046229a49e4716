import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { redactForLog } from '../common/log-redaction';
import { ImportsService } from './imports.service';

/**
 * Uploaded spreadsheets kept for their confirmation (`import_upload`, names and
 * addresses in `content`) are deleted an hour after the upload, at the latest ten
 * minutes later: not only when the next file is uploaded, which may be never. Any
 * instance may run it; a DELETE of what is past its hour is the same done twice.
 */
@Injectable()
export class StagedImportsPurge implements OnApplicationBootstrap {
  private readonly logger = new Logger(StagedImportsPurge.name);

  constructor(private readonly imports: ImportsService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
  }

  @Cron('0 */10 * * * *', { name: 'staged-imports-purge' })
  async run(): Promise<number> {
    try {
      return await this.imports.purgeStaged();
    } catch (error) {
      this.logger.error(`Purging staged imports failed: ${redactForLog(String(error))}`);
      return 0;
    }
  }
}
