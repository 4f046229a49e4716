import { Controller, Get, Ip, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { BranchesService } from '../branches/branches.service';
import { Form, list, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { type Messages, inReadersLanguage } from '../common/pages/messages';
import { langOf } from '../common/pages/web';
import { toCourseView } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { CurriculumService } from '../courses/curriculum.service';
import { AVAILABILITY, LANGUAGES } from '../volunteers/volunteer-options';
import { ApplicationsService } from './applications.service';
import { CreateApplicationDto } from './dto/create-application.dto';
import { RequestLinkDto } from './dto/request-link.dto';

/** The rules the service applies after the form's fields are valid, in the reader's words. */
const APPLY_MESSAGES: Messages = {
  postcode: [
    'Ingen lokalafdeling dækker dit postnummer. Vælg en lokalafdeling på listen.',
    'No branch covers your postcode. Choose a branch from the list.',
  ],
  branchCode: [
    'Den valgte lokalafdeling tager ikke imod ansøgninger. Vælg en anden.',
    'The chosen branch does not take applications. Choose another.',
  ],
};

/** The public site: what the role is, the application form and what happens next. */
@ApiExcludeController()
@Controller()
export class ApplicationsPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly branches: BranchesService,
    private readonly courses: CoursesService,
    private readonly curriculum: CurriculumService,
  ) {}

  @Get()
  @Render('applications/front')
  async front() {
    const { requiredHours } = await this.curriculum.get();
    return { title: 'Bliv familieven', requiredHours };
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
      title: 'Ansøg som familieven',
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
      const { branch } = await this.applications.apply(dto, client).catch((error: unknown) => {
        throw inReadersLanguage(form, error, APPLY_MESSAGES);
      });
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
      title: 'Tak for din ansøgning',
      branch: branch ? { name: branch.name, contactEmail: branch.contactEmail } : null,
    };
  }

  /** Where a link without its token lands (calendar events point here): ask for the link again. */
  @Get('v')
  @Render('volunteers/no-link')
  noLink(@Req() req: Request) {
    return { title: langOf(req) === 'en' ? 'Your personal page' : 'Din personlige side' };
  }

  @Post('v')
  @Redirect()
  requestLink(@Form() form: PageForm, @Ip() client: string) {
    const done = form.t(
      'Tak. Hører adressen til en ansøgning hos os, har vi sendt et nyt link til den. Se også i din spam-mappe.',
      'Thank you. If the address belongs to an application with us, we have sent a new link to it. Check your spam folder too.',
    );
    return form.submit({ name: 'link', back: '/v#link', done }, async () => {
      const { email } = await parseForm(RequestLinkDto, { email: form.body.email });
      await this.applications.requestLink(email, client);
      return '/v';
    });
  }
}
