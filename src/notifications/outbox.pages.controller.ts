import { Controller, Get, Query, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import { Roles } from '../common/auth/decorators';
import { ListOutboxQuery } from './dto/list-outbox.query';
import { OutboxService } from './outbox.service';

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
      title: 'E-mails',
      status: query.status,
      statuses: ['failed', 'pending', 'sent'].map((value) => ({
        value,
        selected: value === query.status,
      })),
      messages,
      total,
    };
  }
}
