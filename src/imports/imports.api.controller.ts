import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { InvalidInputError } from '../common/errors';
import { sendExport } from '../common/export/spreadsheet';
import {
  ImportFileDto,
  ImportRejectedDto,
  ImportReportDto,
  ImportTemplateQuery,
} from './dto/import.dto';
import { ImportRejectedError, type ImportReport, ImportsService } from './imports.service';
import { importTemplate } from './template';

/** At most 5 MB (api.md): about 20,000 rows of a branch's spreadsheet. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Multer keeps the file in memory; over the limit is a 413 from Nest's multer error mapping. */
export const importUpload = () =>
  FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } });

export interface UploadedImport {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export function requireFile(file: UploadedImport | undefined): UploadedImport {
  if (!file || file.size === 0) {
    throw new InvalidInputError([
      { field: 'file', code: 'missingFile', message: 'Vælg en fil. / Choose a file.' },
    ]);
  }
  return file;
}

@ApiTags('imports')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/imports')
export class ImportsApiController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * A branch's spreadsheet (CSV or XLSX, the template's columns): a dry run by default
   * (the report, nothing written); `dryRun=false` writes it all in one transaction, or
   * nothing and 422 with the report when any row has a problem.
   */
  @Post()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV or XLSX, at most 5 MB' },
        branchCode: { type: 'string', description: "Required for an admin; a coordinator's own" },
        dryRun: { type: 'string', enum: ['true', 'false'], default: 'true' },
        sendLinks: { type: 'string', enum: ['true', 'false'], default: 'false' },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiUnprocessableEntityResponse({ type: ImportRejectedDto })
  @ApiPayloadTooLargeResponse({ description: 'The file is over 5 MB' })
  @UseInterceptors(importUpload())
  async import(
    @CurrentActor() actor: Actor,
    @Body() dto: ImportFileDto,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() file?: UploadedImport,
  ): Promise<ImportReport | ImportRejectedDto> {
    const upload = requireFile(file);
    try {
      return await this.imports.run(actor, {
        branchCode: dto.branchCode,
        fileName: upload.originalname,
        bytes: upload.buffer,
        dryRun: dto.dryRun !== 'false',
        sendLinks: dto.sendLinks === 'true',
      });
    } catch (error) {
      if (error instanceof ImportRejectedError) {
        res.status(422);
        return {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: error.message,
          report: error.report,
        };
      }
      throw error;
    }
  }

  /** The template: the header line of api.md and one example row, CSV (`;`, BOM) or XLSX. */
  @Get('template')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(@Query() query: ImportTemplateQuery, @Res() res: Response): Promise<void> {
    sendExport(res, await importTemplate(query.format ?? 'csv'));
  }
}
