import { Controller, Get, Ip, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InvalidInputError, TooManyRequestsError, UnauthorizedError } from '../common/errors';
import { Form, type PageForm, parseForm } from '../common/pages/forms';
import { localPath } from '../common/pages/web';
import { AuthService } from './auth.service';
import { IssueTokenDto } from './dto/issue-token.dto';

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(private readonly auth: AuthService) {}

  @Get('login')
  @Render('auth/login')
  loginPage(@Query('next') next: unknown) {
    return { title: 'Log ind', next: localPath(next, '/staff') };
  }

  /** Signs in with the same password check and rate limit as the API's token. */
  @Post('login')
  @Redirect()
  login(@Form() form: PageForm, @Ip() ip: string) {
    const next = localPath(form.body.next, '/staff');
    const back = `/login?next=${encodeURIComponent(next)}`;
    return form.submit({ name: 'login', back }, async () => {
      const { email, password } = await parseForm(IssueTokenDto, {
        email: form.body.email,
        password: form.body.password,
      });
      const actor = await this.auth.verifyPassword(email, password, ip).catch((error: unknown) => {
        if (error instanceof UnauthorizedError) {
          throw new InvalidInputError([
            { field: '', message: form.t('E-mail eller adgangskode er forkert.', error.message) },
          ]);
        }
        if (error instanceof TooManyRequestsError) {
          throw new InvalidInputError([
            { field: '', message: form.t('For mange forsøg; prøv igen om lidt.', error.message) },
          ]);
        }
        throw error;
      });
      // A new session id on sign-in, so a planted session cookie is worth nothing.
      const session = form.req.session;
      await new Promise<void>((resolve, reject) =>
        session.regenerate((error?: Error) => (error ? reject(error) : resolve())),
      );
      form.req.session.userId = actor.id;
      form.req.session.sessionEpoch = await this.auth.sessionEpochOf(actor.id);
      return next;
    });
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((error?: Error) => (error ? reject(error) : resolve())),
    );
    res.clearCookie('klar.sid');
    res.redirect(303, '/login');
  }
}
