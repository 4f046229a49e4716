import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesModule } from '../branches/branches.module';
import { EvaluationResultsModule } from '../evaluation/evaluation-results';
import { ReportsApiController } from './reports.api.controller';
import { ReportsPagesController } from './reports.pages.controller';
import { ReportsService } from './reports.service';
import { YearFiguresRepository } from './year-figures.repository';

/** Figures for funders: the year's figures per branch and nationally (issue 15 part 3). */
@Module({
  imports: [AuditModule, AuthModule, BranchesModule, EvaluationResultsModule],
  controllers: [ReportsApiController, ReportsPagesController],
  providers: [ReportsService, YearFiguresRepository],
})
export class ReportsModule {}
