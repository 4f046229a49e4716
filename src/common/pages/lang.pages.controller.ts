import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { localPath } from './web';

const YEAR_MS = 365 * 24 * 3600_000;

/** The language switch in every page's header: a cookie, then back to the same page. */
@ApiExcludeController()
@Controller('lang')
export class LangPagesController {
  @Get()
  switch(@Query('lang') lang: unknown, @Query('next') next: unknown, @Res() res: Response) {
    res.cookie('lang', lang === 'en' ? 'en' : 'da', {
      maxAge: YEAR_MS,
      sameSite: 'lax',
      httpOnly: true,
    });
    res.redirect(303, localPath(next, '/'));
  }
}
