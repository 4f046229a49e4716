import { Controller, Get, Header, Ip, Param, Post, Redirect, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { Form, type PageForm, parseForm } from '../common/pages/forms';
import { RequestPasswordResetDto } from './dto/request-password-reset.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import {
  RESET_LINK_VALID_MINUTES,
  RESET_ROUTE,
  PasswordResetService,
} from './password-reset.service';

/** "Glemt adgangskode?" from the login page, and the page the mailed link opens. */
@ApiExcludeController()
@Controller()
export class PasswordResetPagesController {
  constructor(private readonly resets: PasswordResetService) {}

  @Get('glemt-adgangskode')
  @Render('password-reset/request')
  requestPage() {
    return {
      title: ['Glemt adgangskode', 'Forgotten password'],
      minutes: RESET_LINK_VALID_MINUTES,
    };
  }

  @Post('glemt-adgangskode')
  @Redirect()
  request(@Form() form: PageForm, @Ip() client: string) {
    const done = form.t(
      `Hvis adressen hører til en aktiv konto, har vi sendt et link til at vælge en ny adgangskode. Linket virker i ${RESET_LINK_VALID_MINUTES} minutter.`,
      `If the address belongs to an active account, we have sent a link to choose a new password. The link works for ${RESET_LINK_VALID_MINUTES} minutes.`,
    );
    return form.submit({ name: 'reset-request', back: '/glemt-adgangskode', done }, async () => {
      const dto = await parseForm(RequestPasswordResetDto, { email: form.body.email });
      await this.resets.request(dto.email, client);
      return '/login';
    });
  }

  /** Only shows the form: mail scanners open links, so the visit itself uses nothing up. */
  @Get(`${RESET_ROUTE}/:token`)
  @Header('Cache-Control', 'no-store')
  @Render('password-reset/reset')
  async resetPage(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    const usable = await this.resets.isUsable(token);
    if (!usable) {
      res.status(404);
    }
    return {
      title: ['Ny adgangskode', 'New password'],
      usable,
      action: `/${RESET_ROUTE}/${encodeURIComponent(token)}`,
    };
  }

  @Post(`${RESET_ROUTE}/:token`)
  @Header('Cache-Control', 'no-store')
  @Redirect()
  reset(@Param('token') token: string, @Form() form: PageForm) {
    const back = `/${RESET_ROUTE}/${encodeURIComponent(token)}`;
    const done = form.t(
      'Din adgangskode er skiftet. Log ind med den nye.',
      'Your password has been changed. Sign in with the new one.',
    );
    return form.submit({ name: 'reset', back, done }, async () => {
      const dto = await parseForm(ResetPasswordDto, { newPassword: form.body.newPassword });
      await this.resets.complete(token, dto.newPassword).catch((error: unknown) => {
        // Back to the link's page, which then says the link no longer works.
        if (error instanceof NotFoundError) {
          throw new InvalidInputError([
            {
              field: '',
              code: error.code,
              message: form.t('Linket virker ikke længere.', 'The link no longer works.'),
            },
          ]);
        }
        throw error;
      });
      return '/login';
    });
  }
}
