import { Body, Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreateUserDto } from '../auth/dto/create-user.dto';
import { StaffPageGuard } from '../auth/staff.guard';
import { UsersService } from '../auth/users.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { type FormBody, list, parseForm, submitForm, text } from '../common/pages/forms';
import { inLang, langOf } from '../common/pages/web';
import { BranchesService } from './branches.service';
import { CreateBranchDto } from './dto/create-branch.dto';

/** The administrators' pages: branches and staff users. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Roles('admin')
@Controller('staff')
export class BranchesPagesController {
  constructor(
    private readonly branches: BranchesService,
    private readonly users: UsersService,
  ) {}

  @Get('branches')
  @Render('admin/branches')
  async branchesPage() {
    return { title: 'Lokalafdelinger', branches: await this.branches.list() };
  }

  @Post('branches')
  async createBranch(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const done = inLang(langOf(req), 'Lokalafdelingen er oprettet.', 'The branch was created.');
    await submitForm(
      req,
      res,
      { name: 'branch', back: '/staff/branches', values: body, done },
      async () => {
        const dto = await parseForm(CreateBranchDto, {
          code: body.code,
          name: body.name,
          postcodes: list((text(body.postcodes) ?? '').split(/[\s,]+/)),
        });
        await this.branches.create(actor, dto);
        return '/staff/branches';
      },
    );
  }

  @Get('users')
  @Render('admin/users')
  async usersPage() {
    return {
      title: 'Brugere',
      users: await this.users.list(),
      branches: await this.branches.list(),
    };
  }

  @Post('users')
  async createUser(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const done = inLang(langOf(req), 'Brugeren er oprettet.', 'The user was created.');
    await submitForm(
      req,
      res,
      { name: 'user', back: '/staff/users', values: body, done },
      async () => {
        const dto = await parseForm(CreateUserDto, {
          email: body.email,
          name: body.name,
          role: body.role,
          branchCode: body.role === 'coordinator' ? text(body.branchCode) : undefined,
          password: body.password,
        });
        await this.users.create(actor, dto);
        return '/staff/users';
      },
    );
  }
}
