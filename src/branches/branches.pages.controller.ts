import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CreateUserDto } from '../auth/dto/create-user.dto';
import { StaffPageGuard } from '../auth/staff.guard';
import { UsersService } from '../auth/users.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { Form, list, type PageForm, parseForm, text } from '../common/pages/forms';
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
    return { title: ['Lokalafdelinger', 'Branches'], branches: await this.branches.list() };
  }

  @Post('branches')
  @Redirect()
  createBranch(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Lokalafdelingen er oprettet.', 'The branch was created.');
    return form.submit({ name: 'branch', back: '/staff/branches', done }, async () => {
      const { code, name, postcodes } = form.body;
      const dto = await parseForm(CreateBranchDto, {
        code,
        name,
        postcodes: list((text(postcodes) ?? '').split(/[\s,]+/)),
      });
      await this.branches.create(actor, dto);
      return '/staff/branches';
    });
  }

  @Get('users')
  @Render('admin/users')
  async usersPage() {
    return {
      title: ['Brugere', 'Users'],
      users: await this.users.list(),
      branches: await this.branches.list(),
    };
  }

  @Post('users')
  @Redirect()
  createUser(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Brugeren er oprettet.', 'The user was created.');
    return form.submit({ name: 'user', back: '/staff/users', done }, async () => {
      const { email, name, role, branchCode, password } = form.body;
      const dto = await parseForm(CreateUserDto, {
        email,
        name,
        role,
        branchCode: role === 'coordinator' ? text(branchCode) : undefined,
        password,
      });
      await this.users.create(actor, dto);
      return '/staff/users';
    });
  }
}
