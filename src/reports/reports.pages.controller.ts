import { Controller, Get, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import { BranchesService } from '../branches/branches.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { sendExport } from '../common/export/spreadsheet';
import { langOf } from '../common/pages/web';
import { YearReportQuery } from './dto/year-report.query';
import { ReportsService, thisYear } from './reports.service';
import { barChart } from './year-chart';
import { differenceOf, FIGURE_LINES, STEP_LINES } from './year-figures';

const FIRST_YEAR = 2020;

/** "Årsopgørelse": the year's figures beside the year before, with charts and files. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/reports')
export class ReportsPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly branches: BranchesService,
  ) {}

  @Get('year')
  @Render('reports/year')
  async year(@CurrentActor() actor: Actor, @Query() query: YearReportQuery, @Req() req: Request) {
    const lang = langOf(req);
    const report = await this.reports.year(actor, query);
    const pick = (da: string, en: string) => (lang === 'en' ? en : da);
    const rows = FIGURE_LINES.map((line) => {
      const now = line.value(report.figures);
      const before = line.value(report.previousYear);
      const difference = differenceOf(now, before);
      return {
        da: line.da,
        en: line.en,
        sub: line.key.startsWith('withdrawnByStage.'),
        now,
        before,
        difference:
          difference === null ? null : difference > 0 ? `+${difference}` : String(difference),
      };
    });
    const steps = STEP_LINES.map((s) => ({
      da: s.da,
      en: s.en,
      now: report.steps[s.key],
      before: report.previousSteps[s.key],
    }));
    const params = (format: string) =>
      new URLSearchParams({
        year: String(report.year),
        ...(report.branchCode ? { branch: report.branchCode } : {}),
        format,
      }).toString();
    const years: number[] = [];
    for (let y = thisYear(); y >= FIRST_YEAR; y -= 1) {
      years.push(y);
    }
    return {
      title: ['Årsopgørelse', 'Annual figures'],
      report,
      rows,
      steps,
      countsChart: barChart(
        FIGURE_LINES.filter((l) => l.bar).map((l) => ({
          // The bracket is on the table; a bar's label stays short enough to fit.
          label: pick(l.da, l.en).replace(/ \(.*\)$/, ''),
          now: l.value(report.figures),
          before: l.value(report.previousYear),
        })),
      ),
      stepsChart: barChart(
        steps.map((s) => ({ label: pick(s.da, s.en), now: s.now, before: s.before })),
      ),
      previousYearNumber: report.year - 1,
      years,
      isAdmin: actor.role === 'admin',
      branches: actor.role === 'admin' ? await this.branches.list() : [],
      downloads: {
        csv: `/staff/reports/year/file?${params('csv')}`,
        xlsx: `/staff/reports/year/file?${params('xlsx')}`,
      },
    };
  }

  @Get('year/file')
  async file(@CurrentActor() actor: Actor, @Query() query: YearReportQuery, @Res() res: Response) {
    sendExport(res, await this.reports.yearFile(actor, query, query.format ?? 'csv'));
  }
}
