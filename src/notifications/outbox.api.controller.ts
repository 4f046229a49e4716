import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { toIsoWithOffset } from '../common/dates';
import { UuidParam } from '../common/validation';
import { ListOutboxQuery } from './dto/list-outbox.query';
import { OutboxService } from './outbox.service';

/** For administrators: mail that could not be delivered (or any status). */
@ApiTags('outbox')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Roles('admin')
@Controller('api/v1/outbox')
export class OutboxApiController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  async list(@Query() query: ListOutboxQuery) {
    const [items, total] = await this.outbox.list(query.status, query.limit, query.offset);
    return {
      items: items.map((m) => ({
        id: m.id,
        template: m.template,
        recipient: m.recipient,
        subject: m.subject,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: toIsoWithOffset(m.createdAt),
        nextAttemptAt: m.status === 'pending' ? toIsoWithOffset(m.nextAttemptAt) : null,
        sentAt: toIsoWithOffset(m.sentAt),
        bodyPurgedAt: toIsoWithOffset(m.bodyPurgedAt),
      })),
      total,
    };
  }

  /** A failed message goes back in the queue; 409 for any other status or a purged body. */
  @Post(':id/resend')
  @HttpCode(202)
  async resend(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    await this.outbox.resend(actor, id);
    return { message: 'The message is queued to be sent again' };
  }
}
