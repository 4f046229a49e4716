import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { Form, type FormBody, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { CurriculumService } from './curriculum.service';
import { UpdateCurriculumDto } from './dto/update-curriculum.dto';

/** Blank topic rows below the current ones, for adding topics without JavaScript. */
const NEW_TOPIC_ROWS = 2;

@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Roles('admin')
@Controller('staff/curriculum')
export class CurriculumPagesController {
  constructor(private readonly curriculum: CurriculumService) {}

  @Get()
  @Render('admin/curriculum')
  async page() {
    const { requiredHours, topics } = await this.curriculum.get();
    const rows = topics.map((t, i) => ({
      i,
      code: t.code,
      title: t.titleDa,
      titleEn: t.titleEn,
      mandatory: t.mandatory,
    }));
    for (let n = 0; n < NEW_TOPIC_ROWS; n++) {
      rows.push({ i: rows.length, code: '', title: '', titleEn: '', mandatory: false });
    }
    return { title: ['Kursusplan', 'Curriculum'], requiredHours: String(requiredHours), rows };
  }

  @Post()
  @Redirect()
  replace(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Kursusplanen er gemt.', 'The curriculum is saved.');
    const back = '/staff/curriculum';
    return form.submit({ name: 'curriculum', back, done }, async () => {
      const rows = Array.isArray(form.body.topics) ? (form.body.topics as FormBody[]) : [];
      const hours = text(form.body.requiredHours);
      const dto = await parseForm(UpdateCurriculumDto, {
        requiredHours: hours && !Number.isNaN(Number(hours)) ? Number(hours) : hours,
        topics: rows
          .filter((r) => text(r.code))
          .map((r) => ({
            code: r.code,
            title: r.title,
            titleEn: r.titleEn,
            mandatory: ticked(r.mandatory),
          })),
      });
      await this.curriculum.replace(actor, dto);
      return back;
    });
  }
}
