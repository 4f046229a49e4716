import { Controller, Get, Param, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CreateUserDto } from '../auth/dto/create-user.dto';
import { StaffPageGuard } from '../auth/staff.guard';
import { UsersService } from '../auth/users.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { InvalidInputError } from '../common/errors';
import { Form, list, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { BranchBusyError, BranchesService, busyRefusal } from './branches.service';
import { CreateBranchDto } from './dto/create-branch.dto';
import { UpdateBranchDto } from './dto/update-branch.dto';

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
        postcodes: postcodesOf(postcodes),
      });
      await this.branches.create(actor, dto);
      return '/staff/branches';
    });
  }

  @Get('branches/:code')
  @Render('admin/branch')
  async branchPage(@Param('code') code: string) {
    const branch = await this.branches.get(code);
    const fallback = (await this.branches.list()).find((b) => b.fallback && b.id !== branch.id);
    return { title: branch.name, branch, otherFallback: fallback?.name ?? null };
  }

  @Post('branches/:code')
  @Redirect()
  updateBranch(@CurrentActor() actor: Actor, @Param('code') code: string, @Form() form: PageForm) {
    const done = form.t('Lokalafdelingen er gemt.', 'The branch was saved.');
    const back = `/staff/branches/${encodeURIComponent(code)}`;
    return form.submit({ name: 'branch', back, done }, async () => {
      const { name, postcodes, contactEmail, fallback } = form.body;
      const dto = await parseForm(UpdateBranchDto, {
        name,
        postcodes: postcodesOf(postcodes),
        contactEmail: text(contactEmail) ?? null,
        fallback: ticked(fallback),
      });
      await this.branches.update(actor, code, dto);
      return '/staff/branches';
    });
  }

  /** The confirmation step before a branch is deactivated, and where a refusal is explained. */
  @Get('branches/:code/deaktiver')
  @Render('admin/branch-deactivate')
  async confirmDeactivate(@Param('code') code: string) {
    const branch = await this.branches.get(code);
    return { title: branch.name, branch };
  }

  @Post('branches/:code/deaktiver')
  @Redirect()
  deactivateBranch(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Form() form: PageForm,
  ) {
    const done = form.t('Lokalafdelingen er deaktiveret.', 'The branch was deactivated.');
    const back = `/staff/branches/${encodeURIComponent(code)}/deaktiver`;
    return form.submit({ name: 'deactivate', back, done }, async () => {
      await this.branches.update(actor, code, { active: false }).catch((error: unknown) => {
        throw refusalInReadersLanguage(form, error);
      });
      return '/staff/branches';
    });
  }

  @Post('branches/:code/aktiver')
  @Redirect()
  activateBranch(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Form() form: PageForm,
  ) {
    const done = form.t('Lokalafdelingen er aktiv igen.', 'The branch is active again.');
    const back = `/staff/branches/${encodeURIComponent(code)}`;
    return form.submit({ name: 'branch', back, done }, async () => {
      await this.branches.update(actor, code, { active: true });
      return back;
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

/** Postcodes typed into one field, separated by spaces, commas or new lines. */
const postcodesOf = (value: unknown): string[] => list((text(value) ?? '').split(/[\s,]+/));

/** Why a branch cannot be deactivated, in numbers the administrator can act on. */
function refusalInReadersLanguage(form: PageForm, error: unknown): unknown {
  if (error instanceof BranchBusyError) {
    const v = error.activeVolunteers;
    const c = error.activeCourses;
    return new InvalidInputError([
      {
        field: '',
        code: 'branchBusy',
        message: form.t(busyRefusal(v, c, 'da'), busyRefusal(v, c, 'en')),
      },
    ]);
  }
  if (error instanceof InvalidInputError) {
    return new InvalidInputError([
      {
        field: '',
        code: 'fallbackBranch',
        message: form.t(
          'Lokalafdelingen modtager ansøgninger fra postnumre, som ingen anden dækker. Giv den opgave til en anden lokalafdeling først.',
          'The branch receives applications from postcodes no other branch covers. Give that task to another branch first.',
        ),
      },
    ]);
  }
  return error;
}
