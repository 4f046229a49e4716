import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import type { Actor } from '../common/auth/actor';
import { TIME_ZONE } from '../common/dates';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { exportFile, type ExportFormat } from '../common/export/spreadsheet';
import { EvaluationResults } from '../evaluation/evaluation-results';
import type { YearReportQuery } from './dto/year-report.query';
import { yearSheet } from './year-figures';
import { YearFiguresRepository } from './year-figures.repository';

export const thisYear = () => DateTime.now().setZone(TIME_ZONE).year;

/** The year's figures ("Årsopgørelse") for a branch, or for all branches for an admin. */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: YearFiguresRepository,
    private readonly evaluation: EvaluationResults,
    private readonly audit: AuditService,
  ) {}

  /**
   * The branch the report is about: a coordinator's own (another branch is "not found",
   * as everywhere), an admin's choice or every branch (null).
   */
  private async branchOf(actor: Actor, code: string | undefined): Promise<Branch | null> {
    const repo = this.db.getRepository(Branch);
    if (actor.role !== 'admin') {
      const own = await repo.findOneByOrFail({ id: actor.branchId! });
      if (code !== undefined && code !== own.code) {
        throw new NotFoundError('Branch');
      }
      return own;
    }
    if (code === undefined) {
      return null;
    }
    const branch = await repo.findOneBy({ code });
    if (!branch) {
      throw new NotFoundError('Branch');
    }
    return branch;
  }

  async year(actor: Actor, query: YearReportQuery) {
    const year = query.year ?? thisYear();
    if (year > thisYear()) {
      throw new InvalidInputError([
        { field: 'year', code: 'outOfRange', message: 'year must be from 2000 to this year' },
      ]);
    }
    const branch = await this.branchOf(actor, query.branch);
    const branchId = branch?.id ?? null;
    const [current, previous, courses] = await Promise.all([
      this.repository.figures(year, branchId),
      this.repository.figures(year - 1, branchId),
      this.evaluation.ofYear(year, branchId),
    ]);
    const summary = await this.evaluation.summary(courses.map((c) => c.id));
    return {
      year,
      branchCode: branch?.code ?? null,
      branchName: branch?.name ?? null,
      figures: current.figures,
      previousYear: previous.figures,
      evaluation: { responses: summary.responses, statements: summary.statements },
      steps: current.steps,
      previousSteps: previous.steps,
    };
  }

  /** The same figures as a file, audited as the list exports are. */
  async yearFile(actor: Actor, query: YearReportQuery, format: ExportFormat) {
    const report = await this.year(actor, query);
    await this.audit.record(this.db.manager, actor, {
      action: 'report.exported',
      branchId:
        report.branchCode === null ? null : (await this.branchOf(actor, report.branchCode))!.id,
      details: { report: 'year', year: report.year, branch: report.branchCode, format },
    });
    const sheet = yearSheet(report.year, report.figures, report.previousYear);
    sheet.rows.push(
      {
        figure: 'Kursusevaluering: antal svar',
        thisYear: report.evaluation.responses,
        previousYear: null,
        difference: null,
      },
      ...report.evaluation.statements.map((s) => ({
        figure: `Kursusevaluering (gennemsnit 1-5): ${s.text}`,
        thisYear: s.average,
        previousYear: null,
        difference: null,
      })),
    );
    return exportFile(
      { name: `aarsopgoerelse-${report.year}-${report.branchCode ?? 'alle'}`, ...sheet },
      format,
    );
  }
}

export type YearReport = Awaited<ReturnType<ReportsService['year']>>;
