import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { InvalidInputError } from '../common/errors';
import { Form, type FormBody, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { RequestValidationError } from '../common/validation';
import { CurriculumService } from './curriculum.service';
import { UpdateCurriculumDto } from './dto/update-curriculum.dto';
import { topicCodeFromTitle } from './topic-code';

/** Empty fieldsets below the current topics, for adding topics without JavaScript. */
const NEW_TOPIC_ROWS = 1;

/** A topic field's problem in the reader's words, by the last part of its path. */
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
      existing: true,
      code: t.code,
      title: t.titleDa,
      titleEn: t.titleEn,
      mandatory: t.mandatory,
    }));
    for (let n = 0; n < NEW_TOPIC_ROWS; n++) {
      rows.push({
        i: rows.length,
        existing: false,
        code: '',
        title: '',
        titleEn: '',
        mandatory: false,
      });
    }
    return { title: ['Kursusplan', 'Curriculum'], requiredHours: String(requiredHours), rows };
  }

  /**
   * The whole curriculum from the form. An existing topic keeps its code (sessions and
   * attendance refer to it), so the form carries it hidden; a new topic's code comes from
   * its Danish title unless the administrator typed one. Field errors are put back on the
   * fieldset they came from, which is not the topic's place in the list sent on when some
   * fieldsets were removed or left empty.
   */
  @Post()
  @Redirect()
  replace(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Kursusplanen er gemt.', 'The curriculum is saved.');
    const back = '/staff/curriculum';
    return form.submit({ name: 'curriculum', back, done }, async () => {
      const rows = Array.isArray(form.body.topics) ? (form.body.topics as FormBody[]) : [];
      const kept = rows
        .map((r, row) => ({ r, row }))
        .filter(({ r }) => (r.existing === 'true' ? !ticked(r.remove) : text(r.title)));
      const hours = text(form.body.requiredHours);
      const dto = await parseForm(UpdateCurriculumDto, {
        requiredHours: hours && !Number.isNaN(Number(hours)) ? Number(hours) : hours,
        topics: kept.map(({ r }) => ({
          code:
            text(r.code)?.trim() ?? topicCodeFromTitle(typeof r.title === 'string' ? r.title : ''),
          title: r.title,
          titleEn: text(r.titleEn) ?? r.title,
          mandatory: ticked(r.mandatory),
        })),
      }).catch((error: unknown) => {
        throw onFormRows(
          error,
          kept.map((k) => k.row),
        );
      });
      await this.curriculum.replace(actor, dto);
      return back;
    });
  }
}

/**
 * A topic's errors moved to the row of the form it came from (rows left empty or removed
 * are not sent), so each message lands by its own fieldset; the words come from the
 * catalog, as for every form.
 */
function onFormRows(error: unknown, rowOf: number[]): unknown {
  if (!(error instanceof RequestValidationError || error instanceof InvalidInputError)) {
    return error;
  }
  return new InvalidInputError(
    error.errors.map((e) => {
      const match = /^topics\.(\d+)\.(\w+)$/.exec(e.field);
      if (!match) {
        return e;
      }
      const row = rowOf[Number(match[1])] ?? Number(match[1]);
      return { ...e, field: `topics.${row}.${match[2]}` };
    }),
  );
}
