import { Controller, Get, Ip, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { InvalidInputError, TooManyRequestsError } from '../common/errors';
import { Form, type PageForm, parseForm, text } from '../common/pages/forms';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { UpdateOwnAccountDto } from './dto/update-user.dto';
import { StaffPageGuard } from './staff.guard';
import { UsersService } from './users.service';

const YEAR_MS = 365 * 24 * 3600_000;

/** A signed-in staff member's own account: name, language and password. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/account')
export class AccountPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Render('auth/account')
  async accountPage(@CurrentActor() actor: Actor) {
    return { title: ['Min konto', 'My account'], user: await this.users.view(actor.id) };
  }

  @Post()
  @Redirect()
  update(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Dine oplysninger er gemt.', 'Your details were saved.');
    return form.submit({ name: 'account', back: '/staff/account', done }, async () => {
      const dto = await parseForm(UpdateOwnAccountDto, {
        name: form.body.name,
        language: text(form.body.language),
      });
      const user = await this.users.updateOwn(actor, dto);
      // The pages follow the chosen language from now on, as the language switch would.
      form.req.res?.cookie('lang', user.language, {
        maxAge: YEAR_MS,
        sameSite: 'lax',
        httpOnly: true,
      });
      return '/staff/account';
    });
  }

  /** Ends every other session and token of the user; this session stays signed in. */
  @Post('password')
  @Redirect()
  changePassword(@CurrentActor() actor: Actor, @Form() form: PageForm, @Ip() ip: string) {
    const done = form.t(
      'Din adgangskode er skiftet, og du er logget ud alle andre steder.',
      'Your password was changed, and you are signed out everywhere else.',
    );
    return form.submit({ name: 'password', back: '/staff/account', done }, async () => {
      const dto = await parseForm(ChangePasswordDto, {
        currentPassword: form.body.currentPassword,
        newPassword: form.body.newPassword,
      });
      const req = form.req;
      req.session.sessionEpoch = await this.auth
        .changePassword(actor, dto, { sessionId: req.sessionID }, ip)
        .catch((error: unknown) => {
          if (error instanceof TooManyRequestsError) {
            throw new InvalidInputError([
              {
                field: '',
                code: error.code,
                message: form.t('For mange forsøg; prøv igen om lidt.', error.message),
              },
            ]);
          }
          throw error;
        });
      return '/staff/account';
    });
  }
}
