import { Body, Controller, Get, Ip, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InvalidInputError, TooManyRequestsError, UnauthorizedError } from '../common/errors';
import { type FormBody, parseForm, submitForm } from '../common/pages/forms';
import { inLang, langOf, localPath } from '../common/pages/web';
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
  async login(@Req() req: Request, @Res() res: Response, @Body() body: FormBody, @Ip() ip: string) {
    const next = localPath(body.next, '/staff');
    await submitForm(
      req,
      res,
      { name: 'login', back: `/login?next=${encodeURIComponent(next)}`, values: body },
      async () => {
        const dto = await parseForm(IssueTokenDto, { email: body.email, password: body.password });
        const actor = await this.auth
          .verifyPassword(dto.email, dto.password, ip)
          .catch((error: unknown) => {
            if (error instanceof UnauthorizedError || error instanceof TooManyRequestsError) {
              const lang = langOf(req);
              const message =
                error instanceof UnauthorizedError
                  ? inLang(lang, 'E-mail eller adgangskode er forkert.', error.message)
                  : inLang(lang, 'For mange forsøg; prøv igen om lidt.', error.message);
              throw new InvalidInputError([{ field: '', message }]);
            }
            throw error;
          });
        // A new session id on sign-in, so a planted session cookie is worth nothing.
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((error?: Error) => (error ? reject(error) : resolve())),
        );
        req.session.userId = actor.id;
        return next;
      },
    );
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
