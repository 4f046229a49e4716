import { Controller, Get, Post, Query, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Form, type PageForm } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { ListOutboxQuery } from './dto/list-outbox.query';
import { OUTBOX_STATUSES } from './outbox-message.entity';
import { isPurged, OutboxService } from './outbox.service';

const CONFLICTS: Record<string, [string, string]> = {
  outbox_not_failed: [
    'Kun en e-mail, der er fejlet, kan sendes igen.',
    'Only an email that failed can be sent again.',
  ],
  outbox_purged: [
    'Indholdet af e-mailen er slettet, så den kan ikke sendes igen.',
    'The content of the email has been removed, so it cannot be sent again.',
  ],
};

/** The administrators' view of mail that could not be delivered (or any status). */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Roles('admin')
@Controller('staff/outbox')
export class OutboxPagesController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @Render('admin/outbox')
  async page(@Query() query: ListOutboxQuery) {
    const [messages, total] = await this.outbox.list(query.status, query.limit, query.offset);
    return {
      title: ['E-mails', 'Emails'],
      status: query.status,
      statuses: OUTBOX_STATUSES.map((value) => ({ value, selected: value === query.status })),
      messages: messages.map((m) => ({
        ...m,
        purged: isPurged(m),
        resendable: m.status === 'failed' && !isPurged(m),
      })),
      total,
    };
  }

  @Post(':id/resend')
  @Redirect()
  resend(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const done = form.t(
      'E-mailen er sat i kø og sendes igen om lidt.',
      'The email is queued and will be sent again shortly.',
    );
    const back = '/staff/outbox?status=failed';
    return form.submit({ name: 'outbox', back, done }, async () => {
      await this.outbox.resend(actor, id).catch((error: unknown) => {
        const conflict = error instanceof ConflictError ? CONFLICTS[error.code] : undefined;
        if (error instanceof ConflictError && conflict) {
          throw new InvalidInputError([
            { field: '', code: error.code, message: form.t(...conflict) },
          ]);
        }
        throw error;
      });
      return back;
    });
  }
}
