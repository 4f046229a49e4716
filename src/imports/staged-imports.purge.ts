import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { slotPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';
import { ImportsService } from './imports.service';

/** The purge's period: a run every ten minutes. */
const PURGE_SLOT_MINUTES = 10;

/**
 * Uploaded spreadsheets kept for their confirmation (`import_upload`, names and
 * addresses in `content`) are deleted an hour after the upload, at the latest ten
 * minutes later: not only when the next file is uploaded, which may be never. One
 * instance runs each ten-minute slot (ScheduledRuns), as every scheduled job does.
 */
@Injectable()
export class StagedImportsPurge implements OnApplicationBootstrap {
  constructor(
    private readonly imports: ImportsService,
    private readonly scheduled: ScheduledRuns,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tick(new Date());
  }

  @Cron('0 */10 * * * *', { name: 'staged-imports-purge' })
  async tick(now = new Date()): Promise<TickOutcome> {
    return this.scheduled.tick('staged-imports-purge', slotPeriodKey(PURGE_SLOT_MINUTES, now), () =>
      this.imports.purgeStaged(),
    );
  }
}
