import { Controller, Post, Redirect, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { Form, type PageForm, parseForm, text } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { AttestationsService } from './attestations.service';
import { RecordAttestationDto } from './dto/record-attestation.dto';

/** The child-certificate form of the volunteer's staff page. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/volunteers/:id/attestations')
export class AttestationsPagesController {
  constructor(private readonly attestations: AttestationsService) {}

  @Post()
  @Redirect()
  record(@CurrentActor() actor: Actor, @UuidParam() volunteerId: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = form.t('Børneattesten er gemt.', 'The certificate is saved.');
    return form.submit({ name: 'attestation', back, done }, async () => {
      const dto = await parseForm(RecordAttestationDto, {
        requestedOn: text(form.body.requestedOn),
        receivedOn: form.body.receivedOn,
        result: form.body.result,
      });
      await this.attestations.record(actor, volunteerId, dto);
      return back;
    });
  }
}
