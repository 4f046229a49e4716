import { Body, Controller, Get, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { StaffGuard } from '../auth/staff.guard';
import { BranchesService } from './branches.service';
import { toBranchSummary, toBranchView } from './branch.view';
import { CreateBranchDto } from './dto/create-branch.dto';
import { UpdateBranchDto } from './dto/update-branch.dto';

@ApiTags('branches')
@Controller('api/v1/branches')
export class BranchesApiController {
  constructor(private readonly branches: BranchesService) {}

  @Get()
  async list() {
    return (await this.branches.listActive()).map(toBranchSummary);
  }

  @Post()
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  @Roles('admin')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateBranchDto) {
    return toBranchView(await this.branches.create(actor, dto));
  }

  @Patch(':code')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  @Roles('admin')
  async update(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() dto: UpdateBranchDto,
  ) {
    return toBranchView(await this.branches.update(actor, code, dto));
  }
}
