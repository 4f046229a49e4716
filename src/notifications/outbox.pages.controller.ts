import { Controller, Get, Query, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import { Roles } from '../common/auth/decorators';
import { ListOutboxQuery } from './dto/list-outbox.query';
import type { OutboxStatus } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

/** The statuses as the page names them, Danish and English. */
const STATUS_NAMES: Record<OutboxStatus, [string, string]> = {
  failed: ['fejlet', 'failed'],
  pending: ['venter', 'pending'],
  sent: ['sendt', 'sent'],
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
      statusName: STATUS_NAMES[query.status],
      statuses: (['failed', 'pending', 'sent'] as const).map((value) => ({
        value,
        name: STATUS_NAMES[value],
        selected: value === query.status,
      })),
      messages,
      total,
    };
  }
}
