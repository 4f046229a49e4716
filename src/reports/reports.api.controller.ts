import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { ApiJsonOrFile } from '../common/export/dto/export-format.query';
import { sendExport } from '../common/export/spreadsheet';
import { YearReportQuery } from './dto/year-report.query';
import { YearReportDto } from './dto/year-report.response';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/reports')
export class ReportsApiController {
  constructor(private readonly reports: ReportsService) {}

  /** The year's figures and the year before; with `format` the same as a CSV or XLSX file. */
  @Get('year')
  @ApiJsonOrFile(YearReportDto, 'JSON; with `format=csv` or `xlsx` the same figures as a download')
  @ApiBadRequestResponse({ description: 'A bad or future `year`, a bad `format`' })
  @ApiNotFoundResponse({ description: "No such branch, or another branch's for a coordinator" })
  async year(
    @CurrentActor() actor: Actor,
    @Query() query: YearReportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (query.format) {
      sendExport(res, await this.reports.yearFile(actor, query, query.format));
      return;
    }
    // The statements in Danish, as the course evaluation's route gives them.
    const { year, branchCode, figures, previousYear, evaluation } = await this.reports.year(
      actor,
      query,
    );
    return { year, branchCode, figures, previousYear, evaluation };
  }
}
