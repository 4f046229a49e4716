import { Controller, Get, Post, Query, Redirect, Render, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { sendExport } from '../common/export/spreadsheet';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { Form, type PageForm, parseForm, text } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { STAGES } from '../readiness/readiness';
import {
  ListVolunteersQuery,
  MatchablePoolQuery,
  type VolunteerSort,
  type VolunteerSortKey,
} from './dto/list-volunteers.query';
import { chosenReason, WITHDRAW_REASONS } from './closing';
import { WithdrawDto } from './dto/close-application.dto';
import { AVAILABILITY, LANGUAGES, labelled } from './volunteer-options';
import { VolunteersService } from './volunteers.service';

const PAGE_SIZE = 25;

@ApiExcludeController()
@Controller()
export class VolunteersPagesController {
  constructor(private readonly volunteers: VolunteersService) {}

  @Get('staff/volunteers')
  @UseGuards(StaffPageGuard)
  @Render('volunteers/list')
  async list(@CurrentActor() actor: Actor, @Query() query: ListVolunteersQuery) {
    const page = { ...query, limit: PAGE_SIZE, offset: query.offset - (query.offset % PAGE_SIZE) };
    const { items, total } = await this.volunteers.list(actor, page);
    const link = (offset: number, sort: VolunteerSort | undefined = query.sort) =>
      '/staff/volunteers?' +
      new URLSearchParams({
        ...(query.q ? { q: query.q } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.matchable !== undefined ? { matchable: String(query.matchable) } : {}),
        ...(query.postcode ? { postcode: query.postcode } : {}),
        ...(sort ? { sort } : {}),
        offset: String(offset),
      }).toString();
    // A header link sorts by its column, ascending first; on the sorted column it flips.
    const column = (key: VolunteerSortKey) => ({
      href: link(0, query.sort === key ? `-${key}` : key),
      ariaSort:
        query.sort === key ? 'ascending' : query.sort === `-${key}` ? 'descending' : undefined,
    });
    const filterParams = new URLSearchParams({
      ...(query.q ? { q: query.q } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.matchable !== undefined ? { matchable: String(query.matchable) } : {}),
      ...(query.postcode ? { postcode: query.postcode } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
    });
    const download = (format: string) =>
      `/staff/exports/volunteers?${new URLSearchParams([...filterParams, ['format', format]]).toString()}`;
    return {
      title: ['Frivillige', 'Volunteers'],
      downloads: { csv: download('csv'), xlsx: download('xlsx') },
      items,
      total,
      // Coordinators see one branch only, so the column would say the same on every row.
      showBranch: actor.role === 'admin',
      columns: { name: column('name'), appliedAt: column('appliedAt'), stage: column('stage') },
      filters: {
        ...query,
        matchable: query.matchable === undefined ? '' : String(query.matchable),
      },
      stages: STAGES,
      from: total === 0 ? 0 : page.offset + 1,
      to: page.offset + items.length,
      firstPage: link(0),
      prev: page.offset > 0 && items.length > 0 ? link(Math.max(0, page.offset - PAGE_SIZE)) : null,
      next: page.offset + PAGE_SIZE < total ? link(page.offset + PAGE_SIZE) : null,
    };
  }

  @Get('staff/pool')
  @UseGuards(StaffPageGuard)
  @Render('volunteers/pool')
  async pool(@CurrentActor() actor: Actor, @Query() query: MatchablePoolQuery) {
    const rows = await this.volunteers.matchablePool(actor, query);
    const filterParams = new URLSearchParams({
      ...(query.postcode ? { postcode: query.postcode } : {}),
      ...(query.availability ? { availability: query.availability } : {}),
      ...(query.language ? { language: query.language } : {}),
    });
    const download = (format: string) =>
      `/staff/exports/pool?${new URLSearchParams([...filterParams, ['format', format]]).toString()}`;
    return {
      title: ['Klar til match', 'Matchable'],
      downloads: { csv: download('csv'), xlsx: download('xlsx') },
      filters: query,
      availabilityOptions: AVAILABILITY,
      languageOptions: LANGUAGES,
      rows: rows.map((r) => ({
        ...r,
        availability: labelled(r.availability, AVAILABILITY),
        languages: labelled(r.languages, LANGUAGES),
      })),
    };
  }

  /** The list with its filters as a file (every matching row, not the page). */
  @Get('staff/exports/volunteers')
  @UseGuards(StaffPageGuard)
  async exportList(
    @CurrentActor() actor: Actor,
    @Query() query: ListVolunteersQuery,
    @Res() res: Response,
  ) {
    sendExport(res, await this.volunteers.exportList(actor, query, query.format ?? 'csv'));
  }

  @Get('staff/exports/pool')
  @UseGuards(StaffPageGuard)
  async exportPool(
    @CurrentActor() actor: Actor,
    @Query() query: MatchablePoolQuery,
    @Res() res: Response,
  ) {
    sendExport(res, await this.volunteers.exportPool(actor, query, query.format ?? 'csv'));
  }

  /** What withdrawing does (bookings cancelled, the waitlist moves up), with the reason asked for. */
  @Get('staff/volunteers/:id/withdraw')
  @UseGuards(StaffPageGuard)
  @Render('volunteers/withdraw')
  async confirmWithdraw(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { volunteer, bookings } = await this.volunteers.closingPreview(actor, id);
    return {
      title: ['Træk ansøgningen tilbage', 'Withdraw the application'],
      v: volunteer,
      active: volunteer.status === 'active',
      bookings,
      // Only a seat frees a place for the first on the waitlist, and not on a started course.
      promoting: bookings.filter((b) => b.status === 'booked' && b.waiting > 0 && !b.started),
      reasons: WITHDRAW_REASONS,
    };
  }

  @Post('staff/volunteers/:id/withdraw')
  @UseGuards(StaffPageGuard)
  @Redirect()
  withdraw(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${id}`;
    const done = form.t('Ansøgningen er trukket tilbage.', 'The application is withdrawn.');
    return form.submit({ name: 'withdraw', back: `${back}/withdraw`, done }, async () => {
      const dto = await parseForm(WithdrawDto, {
        reason: chosenReason(WITHDRAW_REASONS, text(form.body.reason)),
        note: text(form.body.note),
      });
      await this.volunteers.withdraw(actor, id, dto);
      return back;
    });
  }

  @Get('staff/volunteers/:id/reactivate')
  @UseGuards(StaffPageGuard)
  @Render('volunteers/reactivate')
  async confirmReactivate(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { volunteer } = await this.volunteers.closingPreview(actor, id);
    return {
      title: ['Genaktivér ansøgningen', 'Reactivate the application'],
      v: volunteer,
      withdrawn: volunteer.status === 'withdrawn',
    };
  }

  @Post('staff/volunteers/:id/reactivate')
  @UseGuards(StaffPageGuard)
  @Redirect()
  reactivate(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${id}`;
    const done = form.t('Ansøgningen er genaktiveret.', 'The application is reactivated.');
    return form.submit({ name: 'reactivate', back: `${back}/reactivate`, done }, async () => {
      await this.volunteers.reactivate(actor, id);
      return back;
    });
  }
}
