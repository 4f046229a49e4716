import {
  Controller,
  Get,
  Header,
  Inject,
  Param,
  Post,
  Redirect,
  Render,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { Form, type PageForm, parseForm, text } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { PortalAccess } from '../portal/portal-access';
import type { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { BranchesService } from '../branches/branches.service';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CONSENT_TEXT, CONSENT_VERSION, needsConsent } from './consent';
import { ConsentService } from './consent.service';
import { GiveConsentDto } from './dto/give-consent.dto';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { privacyNoticeFacts } from './privacy-notice';

/** The staff pages of access (art. 15 and 20) and erasure (art. 17) of one person. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/volunteers/:id')
export class PrivacyPagesController {
  constructor(
    private readonly exports: ExportService,
    private readonly erasure: ErasureService,
    private readonly volunteers: VolunteersService,
  ) {}

  /** Everything held about the person, readable; the JSON download beside it. */
  @Get('export')
  @Header('Cache-Control', 'no-store')
  @Render('privacy/export')
  async exportPage(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const data = await this.exports.forStaff(actor, id);
    const v = data.volunteer as { firstName: string; lastName: string };
    return {
      title: ['Personens data', "The person's data"],
      id,
      name: `${v.firstName} ${v.lastName}`,
      data,
      details: Object.entries(data.volunteer)
        .filter(([key]) => key !== 'branch')
        .map(([key, value]) => ({
          key,
          value: Array.isArray(value) ? value.join(', ') : value,
        })),
    };
  }

  /** The same document as a file, for the person to take elsewhere (art. 20). */
  @Get('export.json')
  async exportJson(@CurrentActor() actor: Actor, @UuidParam() id: string, @Res() res: Response) {
    const data = await this.exports.forStaff(actor, id);
    res
      .status(200)
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="klar-data-${id}.json"`,
        'Cache-Control': 'no-store',
      })
      .send(JSON.stringify(data, null, 2));
  }

  /** What erasing does, asked twice: a checkbox and the person's name typed. */
  @Get('erase')
  @Render('privacy/erase')
  async confirmErase(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { volunteer, bookings } = await this.volunteers.closingPreview(actor, id);
    return {
      title: ['Slet personen', 'Erase the person'],
      v: volunteer,
      bookings,
      request: await this.erasure.openRequestOf(actor, id),
    };
  }

  @Post('erase')
  @Redirect()
  erase(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${id}/erase`;
    const done = form.t('Personen er slettet.', 'The person is erased.');
    // The typed name is not kept in the session for the refused form: the session
    // would hold it after the person is gone.
    return form.submit({ name: 'erase', back, done, forget: ['name'] }, async () => {
      const { volunteer } = await this.volunteers.closingPreview(actor, id);
      const errors = [];
      if (text(form.body.understood) !== 'yes') {
        errors.push({
          field: 'understood',
          code: 'required',
          message:
            'Bekræft, at du forstår, at sletningen ikke kan fortrydes. / Confirm that you understand the erasure cannot be undone.',
        });
      }
      const typed = (text(form.body.name) ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
      const name = `${volunteer.firstName} ${volunteer.lastName}`.toLowerCase();
      if (typed !== name) {
        errors.push({
          field: 'name',
          code: 'mismatch',
          message:
            "Skriv personens fulde navn, som det står på siden. / Type the person's full name as shown on the page.",
        });
      }
      if (errors.length > 0) {
        throw new InvalidInputError(errors);
      }
      await this.erasure.eraseInScope(actor, id);
      return '/staff/volunteers';
    });
  }
}

/**
 * The volunteer's own rights on their personal page: their data as a file, withdrawing,
 * and asking to be erased. Each change asks first, on a page of its own (no JavaScript).
 */
@ApiExcludeController()
@Controller('v/:token')
export class PrivacyMePagesController {
  constructor(
    private readonly access: PortalAccess,
    private readonly exports: ExportService,
    private readonly erasure: ErasureService,
    private readonly volunteers: VolunteersService,
    private readonly consent: ConsentService,
    private readonly branches: BranchesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * What a person imported from a branch's spreadsheet sees first on every personal page
   * (MePagesController sends them here): the privacy notice and the consent text, with
   * the form to consent. Withdrawing, erasure and their data stay open without consent:
   * those rights do not wait on it. Once consent is given, the personal page.
   */
  @Get('samtykke')
  async consentPage(@Param('token') token: string, @Res() res: Response) {
    const volunteer = await this.volunteerFor(token);
    if (!needsConsent(volunteer)) {
      return res.redirect(303, `/v/${token}`);
    }
    const { branch } = await this.volunteers.ownView(volunteer.id);
    return res.render('privacy/own-consent', {
      title: ['Dit samtykke', 'Your consent'],
      token,
      firstName: volunteer.firstName,
      branchName: branch.name,
      ...(await privacyNoticeFacts(this.config, this.branches)),
      consentText: CONSENT_TEXT,
      consentVersion: CONSENT_VERSION,
    });
  }

  @Post('samtykke')
  @Redirect()
  async giveConsent(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.volunteerFor(token);
    const back = `/v/${token}/samtykke`;
    const done = form.t('Tak for dit samtykke.', 'Thank you for your consent.');
    return form.submit({ name: 'own-consent', back, done }, async () => {
      const dto = await parseForm(GiveConsentDto, { textVersion: form.body.textVersion });
      await this.consent.giveOwn(volunteer.id, dto.textVersion);
      return `/v/${token}`;
    });
  }

  /** "Hent mine data": the same document as GET /api/v1/me/export, as a file. */
  @Get('mine-data')
  async ownData(@Param('token') token: string, @Res() res: Response) {
    const volunteer = await this.volunteerFor(token);
    const data = await this.exports.own(volunteer.id);
    res
      .status(200)
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': 'attachment; filename="mine-data-klar.json"',
        'Cache-Control': 'no-store',
      })
      .send(JSON.stringify(data, null, 2));
  }

  @Get('traek-tilbage')
  @Render('privacy/own-withdraw')
  async confirmWithdraw(@Param('token') token: string) {
    const volunteer = await this.volunteerFor(token);
    if (volunteer.status !== 'active') {
      throw new NotFoundError('Personal page');
    }
    return { title: ['Træk ansøgningen tilbage', 'Withdraw the application'], token };
  }

  @Post('traek-tilbage')
  @Redirect()
  async withdraw(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.volunteerFor(token);
    const done = form.t(
      'Din ansøgning er trukket tilbage. Tak for din interesse.',
      'Your application is withdrawn. Thank you for your interest.',
    );
    return form.submit(
      { name: 'own-withdraw', back: `/v/${token}/traek-tilbage`, done },
      async () => {
        await this.volunteers.withdrawOwn(volunteer.id);
        return `/v/${token}`;
      },
    );
  }

  @Get('slet-mig')
  @Render('privacy/own-erasure')
  async confirmErasure(@Param('token') token: string) {
    const volunteer = await this.volunteerFor(token);
    return {
      title: ['Bed om at blive slettet', 'Ask to be erased'],
      token,
      open: await this.erasure.ownOpenRequest(volunteer.id),
    };
  }

  @Post('slet-mig')
  @Redirect()
  async requestErasure(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.volunteerFor(token);
    const done = form.t(
      'Din anmodning er sendt. Din koordinator sletter dine oplysninger inden for 30 dage.',
      'Your request is sent. Your coordinator erases your details within 30 days.',
    );
    return form.submit({ name: 'own-erasure', back: `/v/${token}/slet-mig`, done }, async () => {
      await this.erasure.request(volunteer.id);
      return `/v/${token}`;
    });
  }

  private async volunteerFor(token: string): Promise<Volunteer> {
    const volunteer = token.length <= 200 ? await this.access.volunteerFor(token) : null;
    if (!volunteer) {
      throw new NotFoundError('Personal page');
    }
    return volunteer;
  }
}
