import { Controller, Get, Post, Redirect, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { InvalidInputError } from '../common/errors';
import { Form, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { localPath } from '../common/pages/web';
import { UuidParam } from '../common/validation';
import { CurriculumService } from '../courses/curriculum.service';
import { CreateMaterialDto, UpdateMaterialDto } from './dto/material.dto';
import type { PageUploadRequest } from '../common/pages/page-upload';
import { MaterialsService } from './materials.service';

/**
 * Staff pages of materials: the national ones per curriculum topic (administrators;
 * linked from the curriculum page), the upload that page and the session page post
 * to, and the staff download. The same service as the API does the work.
 */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/materials')
export class MaterialsPagesController {
  constructor(
    private readonly materials: MaterialsService,
    private readonly curriculum: CurriculumService,
  ) {}

  @Get()
  @Roles('admin')
  @Render('materials/topics')
  async page(@CurrentActor() actor: Actor) {
    const { topics } = await this.curriculum.get();
    const all = await this.materials.list(actor, {});
    return {
      title: ['Materialer', 'Materials'],
      topics: topics.map((t) => ({
        code: t.code,
        title: t.titleDa,
        titleEn: t.titleEn,
        materials: all.filter((m) => m.topic === t.code),
      })),
    };
  }

  /**
   * A new material from a page form (multipart, read by pageUpload before the guards),
   * back to the page it came from: the topics page or a session's page.
   */
  @Post()
  @Redirect()
  create(@CurrentActor() actor: Actor, @Form() form: PageForm, @Req() req: PageUploadRequest) {
    const back = localPath(form.body.back, '/staff/materials');
    const done = form.t('Materialet er tilføjet.', 'The material is added.');
    return form.submit({ name: 'material', back, done }, async () => {
      if (req.uploadProblem) {
        throw new InvalidInputError([
          {
            field: 'file',
            code: req.uploadProblem,
            message: 'Filen må højst være 20 MB. / The file may be at most 20 MB.',
          },
        ]);
      }
      const dto = await parseForm(CreateMaterialDto, {
        title: form.body.title,
        topic: text(form.body.topic),
        sessionId: text(form.body.sessionId),
        url: text(form.body.url),
        requiresConfirmation: ticked(form.body.requiresConfirmation),
      });
      // A file field left empty arrives as a file of no bytes: no file.
      const file = req.file && req.file.size > 0 ? req.file : undefined;
      await this.materials.create(actor, dto, file);
      return back;
    });
  }

  /** A new upload of a file material, from the list on either page. */
  @Post(':id/versions')
  @Redirect()
  addVersion(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Form() form: PageForm,
    @Req() req: PageUploadRequest,
  ) {
    const back = localPath(form.body.back, '/staff/materials');
    const done = form.t('Den nye version er gemt.', 'The new version is saved.');
    return form.submit({ name: `version-${id}`, back, done }, async () => {
      if (req.uploadProblem) {
        throw new InvalidInputError([
          {
            field: 'file',
            code: req.uploadProblem,
            message: 'Filen må højst være 20 MB. / The file may be at most 20 MB.',
          },
        ]);
      }
      await this.materials.addVersion(
        actor,
        id,
        req.file && req.file.size > 0 ? req.file : undefined,
      );
      return back;
    });
  }

  /** "Gem" on a material in either list: its title, and a topic material's confirmation. */
  @Post(':id')
  @Redirect()
  update(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = localPath(form.body.back, '/staff/materials');
    const done = form.t('Materialet er ændret.', 'The material was changed.');
    return form.submit({ name: `material-${id}`, back, done }, async () => {
      const dto = await parseForm(UpdateMaterialDto, {
        title: form.body.title ?? '',
        // Only a topic material's form has the box; a session material's leaves it as it is.
        requiresConfirmation: text(form.body.confirmable)
          ? ticked(form.body.requiresConfirmation)
          : undefined,
      });
      await this.materials.update(actor, id, dto);
      return back;
    });
  }

  /**
   * The question before a material is deleted: what goes with it. Both answers lead back
   * to the list it is on: the session's page or the topics page.
   */
  @Get(':id/delete')
  @Render('materials/delete')
  async confirmDelete(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { material, versions, confirmations } = await this.materials.deletion(actor, id);
    return {
      title: ['Slet materiale', 'Delete material'],
      material,
      versions,
      confirmations,
      back: material.sessionId
        ? `/staff/sessions/${material.sessionId}#materials`
        : '/staff/materials',
    };
  }

  @Post(':id/delete')
  @Redirect()
  remove(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = localPath(form.body.back, '/staff/materials');
    const done = form.t('Materialet er slettet.', 'The material was deleted.');
    return form.submit({ name: `delete-${id}`, back, done }, async () => {
      await this.materials.remove(actor, id);
      return back;
    });
  }

  @Get(':id/file')
  async download(@CurrentActor() actor: Actor, @UuidParam() id: string, @Res() res: Response) {
    await this.materials.streamForStaff(actor, id, res);
  }
}
