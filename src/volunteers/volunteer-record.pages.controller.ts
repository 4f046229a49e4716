import { Controller, Post, Redirect, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Form, list, type PageForm, parseForm, text } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { CreateNoteDto } from './dto/create-note.dto';
import { UpdateVolunteerDto } from './dto/update-volunteer.dto';
import { VolunteerRecordService } from './volunteer-record.service';

/** The "Ret oplysninger" and "Noter" forms of the volunteer's staff page. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/volunteers/:id')
export class VolunteerRecordPagesController {
  constructor(private readonly record: VolunteerRecordService) {}

  @Post('details')
  @Redirect()
  update(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${id}`;
    const done = form.t('Oplysningerne er gemt.', 'The details are saved.');
    // A refused form leads back to itself, not to the top of a long page.
    return form.submit({ name: 'details', back: `${back}#h-edit`, done }, async () => {
      const body = form.body;
      const dto = await parseForm(UpdateVolunteerDto, {
        firstName: body.firstName,
        lastName: body.lastName,
        email: body.email,
        phone: body.phone,
        postcode: body.postcode,
        availability: list(body.availability),
        languages: list(body.languages),
      });
      try {
        await this.record.update(actor, id, dto);
      } catch (error) {
        // On the page the clash belongs next to the address that caused it.
        if (error instanceof ConflictError && error.code === 'volunteer_email_taken') {
          throw new InvalidInputError([
            { field: 'email', code: 'volunteerEmailTaken', message: error.message },
          ]);
        }
        throw error;
      }
      return back;
    });
  }

  @Post('notes')
  @Redirect()
  addNote(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${id}`;
    const done = form.t('Noten er gemt.', 'The note is saved.');
    return form.submit({ name: 'note', back: `${back}#h-notes`, done }, async () => {
      const dto = await parseForm(CreateNoteDto, {
        text: text(form.body.text),
        topic: text(form.body.topic),
      });
      await this.record.addNote(actor, id, dto);
      return back;
    });
  }
}
