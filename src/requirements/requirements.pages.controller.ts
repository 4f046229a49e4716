import { Controller, Get, Param, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { Form, type PageForm, parseForm, text } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { CreateRequirementDto, RecordRequirementDto } from './dto/requirement.dto';
import { RequirementsService } from './requirements.service';

/** The administrator's list of extra requirements, with the form for a new one. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Roles('admin')
@Controller('staff/requirements')
export class RequirementsPagesController {
  constructor(private readonly requirements: RequirementsService) {}

  @Get()
  @Render('admin/requirements')
  async page() {
    const materials = await this.requirements.confirmableMaterials();
    return {
      title: ['Ekstra krav', 'Extra requirements'],
      requirements: (await this.requirements.list()).map((r) => ({
        ...r,
        materialTitle: materials.find((m) => m.id === r.materialId)?.title ?? null,
      })),
      materials,
    };
  }

  @Post()
  @Redirect()
  create(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const back = '/staff/requirements';
    const done = form.t(
      'Kravet er oprettet, og alle frivilliges status er opdateret.',
      'The requirement is created and every volunteer’s readiness is updated.',
    );
    return form.submit({ name: 'requirement', back, done }, async () => {
      const months = text(form.body.renewMonths);
      const dto = await parseForm(CreateRequirementDto, {
        key: form.body.key,
        nameDa: form.body.nameDa,
        nameEn: text(form.body.nameEn) ?? form.body.nameDa,
        description: text(form.body.description),
        renewMonths: months && !Number.isNaN(Number(months)) ? Number(months) : months,
        materialId: text(form.body.materialId),
      });
      await this.requirements.create(actor, dto);
      return back;
    });
  }
}

/** The extra-requirement cards of the volunteer's staff page: record a date, or undo. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/volunteers/:id/requirements')
export class VolunteerRequirementsPagesController {
  constructor(private readonly requirements: RequirementsService) {}

  @Post(':key')
  @Redirect()
  record(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Param('key') key: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}#requirement-${key}`;
    const done = form.t('Kravet er registreret.', 'The requirement is recorded.');
    return form.submit({ name: `requirement-${key}`, back, done }, async () => {
      const dto = await parseForm(RecordRequirementDto, { metOn: form.body.metOn });
      await this.requirements.record(actor, volunteerId, key, dto);
      return back;
    });
  }

  @Post(':key/undo')
  @Redirect()
  undo(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Param('key') key: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}#requirement-${key}`;
    const done = form.t('Registreringen er fjernet.', 'The record is removed.');
    return form.submit({ name: `requirement-${key}`, back, done }, async () => {
      await this.requirements.unrecord(actor, volunteerId, key);
      return back;
    });
  }
}
