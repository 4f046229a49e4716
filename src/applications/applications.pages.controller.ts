import { Controller, Get, Ip, Post, Redirect, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BranchesService } from '../branches/branches.service';
import { Form, list, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { langOf } from '../common/pages/web';
import { toCourseView } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { CurriculumService } from '../courses/curriculum.service';
import { liveRememberedLink } from '../portal/portal-cookie';
import { PortalLinks } from '../portal/portal-links';
import { AVAILABILITY, LANGUAGES } from '../volunteers/volunteer-options';
import { ApplicationsService } from './applications.service';
import { CreateApplicationDto } from './dto/create-application.dto';
import { RequestLinkDto } from './dto/request-link.dto';
import { CONSENT_TEXT, CONSENT_VERSION } from '../privacy/consent';

/** The rules the service applies after the form's fields are valid, in the reader's words. */
/** The public site: what the role is, the application form and what happens next. */
@ApiExcludeController()
@Controller()
export class ApplicationsPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly branches: BranchesService,
    private readonly courses: CoursesService,
    private readonly curriculum: CurriculumService,
    private readonly portalLinks: PortalLinks,
  ) {}

  @Get()
  @Render('applications/front')
  async front() {
    const { requiredHours } = await this.curriculum.get();
    return { title: ['Bliv familieven', 'Become a family friend'], requiredHours };
  }

  @Get('ansog')
  @Render('applications/new')
  async form() {
    const [branches, open] = await Promise.all([
      this.branches.listActive(),
      this.courses.listOpen(),
    ]);
    const courses = open.map((c) => toCourseView(c.summary, c.sessions));
    return {
      title: ['Ansøg som familieven', 'Apply as a family friend'],
      branches: branches.map((b) => ({
        code: b.code,
        name: b.name,
        postcodes: b.postcodes,
        courses: courses.filter((c) => c.branchCode === b.code),
      })),
      // Said on the form, so an applicant outside every branch knows they may still apply.
      fallback: branches.find((b) => b.fallback)?.name ?? null,
      availability: AVAILABILITY,
      languages: LANGUAGES,
      // The very words whose version the application stores.
      consentText: CONSENT_TEXT,
      consentVersion: CONSENT_VERSION,
    };
  }

  @Post('ansog')
  @Redirect()
  apply(@Form() form: PageForm, @Req() req: Request, @Ip() client: string) {
    const body = form.body;
    return form.submit({ name: 'apply', back: '/ansog#form' }, async () => {
      const dto = await parseForm(CreateApplicationDto, {
        branchCode: text(body.branchCode),
        firstName: body.firstName,
        lastName: body.lastName,
        email: body.email,
        phone: body.phone,
        postcode: body.postcode,
        motivation: body.motivation,
        experience: text(body.experience),
        availability: list(body.availability),
        languages: list(body.languages),
        consent: ticked(body.consent),
        courseId: text(body.courseId),
        locale: langOf(req),
      });
      // The dropdown left at "find it from my postcode" sends no branch: the postcode, or
      // else the fallback branch, decides, and only a postcode nobody covers is refused.
      const { branch } = await this.applications.apply(dto, client);
      // The branch follows from the form alone, so naming it tells nothing about the address.
      req.session.appliedBranch = branch.code;
      return '/ansog/tak';
    });
  }

  @Get('ansog/tak')
  @Render('applications/thanks')
  async thanks(@Req() req: Request) {
    const code = req.session.appliedBranch;
    const branch = code ? await this.branches.get(code).catch(() => null) : null;
    return {
      title: ['Tak for din ansøgning', 'Thank you for your application'],
      branch: branch ? { name: branch.name, contactEmail: branch.contactEmail } : null,
    };
  }

  /**
   * Where a link without its token lands (calendar events point here, since a calendar
   * must not carry the secret link): what the personal link is and a form for a new one,
   * or straight to the personal page where this browser remembers a live link, unless
   * the page has a notice or a refused form to show first.
   */
  @Get('v')
  async noLink(@Req() req: Request, @Res() res: Response) {
    const pending = Boolean(res.locals.flash) || Boolean(res.locals.formState);
    const remembered = pending ? null : await liveRememberedLink(req, this.portalLinks);
    if (remembered) {
      return res.redirect(303, `/v/${remembered}`);
    }
    return res.render('volunteers/no-link', {
      title: langOf(req) === 'en' ? 'Your personal page' : 'Din personlige side',
    });
  }

  @Post('v')
  @Redirect()
  requestLink(@Form() form: PageForm, @Ip() client: string) {
    const done = form.t(
      'Tak. Hvis adressen er kendt, har vi sendt et nyt link til den. Se også i din spam-mappe.',
      'Thank you. If the address is known, we have sent a new link to it. Check your spam folder too.',
    );
    return form.submit({ name: 'link', back: '/v#link', done }, async () => {
      const { email } = await parseForm(RequestLinkDto, { email: form.body.email });
      await this.applications.requestLink(email, client);
      return '/v';
    });
  }
}
