import { Controller, Get, Post, Query, Redirect, Render, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import { BranchesService } from '../branches/branches.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Form, type PageForm, text, ticked } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import type { PageUploadRequest } from '../common/pages/page-upload';
import { requireFile } from './imports.api.controller';
import { ImportRejectedError, ImportsService } from './imports.service';

const ACTION_WORDS: Record<string, [string, string]> = {
  create: ['Oprettes', 'Created'],
  update: ['Opdateres', 'Updated'],
  unchanged: ['Uændret', 'Unchanged'],
  error: ['Fejl', 'Error'],
};

/**
 * Staff pages of the import (issue 15): upload, preview (a dry run of the kept file),
 * confirm, done. The file is kept between preview and confirmation in import_upload,
 * bound to the staff member, for an hour. The same service as the API does the work.
 */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/imports')
export class ImportsPagesController {
  constructor(
    private readonly imports: ImportsService,
    private readonly branches: BranchesService,
  ) {}

  @Get()
  @Render('imports/upload')
  async page(@CurrentActor() actor: Actor) {
    return {
      title: ['Importér regneark', 'Import a spreadsheet'],
      isAdmin: actor.role === 'admin',
      branches: actor.role === 'admin' ? (await this.branches.list()).filter((b) => b.active) : [],
    };
  }

  /** The upload (multipart, read by importPageUpload before the guards): on to its preview. */
  @Post()
  @Redirect()
  upload(@CurrentActor() actor: Actor, @Form() form: PageForm, @Req() req: PageUploadRequest) {
    return form.submit({ name: 'import', back: '/staff/imports' }, async () => {
      // Only multer's LIMIT_FILE_SIZE is the size; any other refusal (a second file,
      // another field name, a broken multipart body) is an upload that could not be read.
      if (req.uploadProblem === 'tooLarge') {
        throw new InvalidInputError([
          {
            field: 'file',
            code: 'importTooLarge',
            message: 'Filen må højst være 5 MB. / The file may be at most 5 MB.',
          },
        ]);
      }
      if (req.uploadProblem) {
        throw new InvalidInputError([
          {
            field: 'file',
            code: 'uploadUnreadable',
            message:
              'Filen kunne ikke modtages; vælg én fil og prøv igen. / The upload could not be read; choose one file and try again.',
          },
        ]);
      }
      const file = requireFile(req.file);
      const { id } = await this.imports.stage(actor, {
        branchCode: text(form.body.branchCode),
        fileName: file.originalname,
        bytes: file.buffer,
        sendLinks: ticked(form.body.sendLinks),
      });
      return `/staff/imports/${id}`;
    });
  }

  @Get('done')
  @Render('imports/done')
  done(
    @Query('created') created = '0',
    @Query('updated') updated = '0',
    @Query('unchanged') unchanged = '0',
  ) {
    const count = (value: string) => (/^\d{1,6}$/.test(value) ? Number(value) : 0);
    return {
      title: ['Importen er gennemført', 'The import is done'],
      created: count(created),
      updated: count(updated),
      unchanged: count(unchanged),
    };
  }

  @Get(':id')
  @Render('imports/preview')
  async preview(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { staged, report } = await this.imports.preview(actor, id);
    return {
      title: ['Gennemse importen', 'Review the import'],
      staged,
      report,
      rows: report.rows.map((r) => ({ ...r, actionWords: ACTION_WORDS[r.action] })),
    };
  }

  /** "Bekræft import": written in one transaction, or back to the preview with what stops it. */
  @Post(':id')
  @Redirect()
  confirm(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    return form.submit({ name: 'confirm', back: `/staff/imports/${id}` }, async () => {
      try {
        const report = await this.imports.confirm(actor, id);
        const query = new URLSearchParams({
          created: String(report.created),
          updated: String(report.updated),
          unchanged: String(report.unchanged),
        });
        return `/staff/imports/done?${query.toString()}`;
      } catch (error) {
        if (error instanceof ImportRejectedError) {
          throw new ConflictError(error.message, 'importHasErrors');
        }
        throw error;
      }
    });
  }
}
