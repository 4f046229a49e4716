import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { type FormBody, parseForm, submitForm, text } from '../common/pages/forms';
import { inLang, langOf } from '../common/pages/web';
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
  async record(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = inLang(langOf(req), 'Børneattesten er gemt.', 'The certificate is saved.');
    await submitForm(req, res, { name: 'attestation', back, values: body, done }, async () => {
      const dto = await parseForm(RecordAttestationDto, {
        requestedOn: text(body.requestedOn),
        receivedOn: body.receivedOn,
        result: body.result,
      });
      await this.attestations.record(actor, volunteerId, dto);
      return back;
    });
  }
}
