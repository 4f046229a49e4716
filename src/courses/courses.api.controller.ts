import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiJsonOrFile, ExportFormatQuery } from '../common/export/dto/export-format.query';
import { sendExport } from '../common/export/spreadsheet';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { AttendanceService } from './attendance.service';
import { BookingsService } from './bookings.service';
import { toAttendanceGridView, toCourseView, toSessionView } from './course.view';
import { CoursesService } from './courses.service';
import { AddSessionDto } from './dto/add-session.dto';
import { StaffBookingDto } from './dto/booking.dto';
import { CourseAttendanceDto } from './dto/course-attendance.dto';
import { CreateCourseDto } from './dto/create-course.dto';
import { ListCoursesQuery } from './dto/list-courses.query';
import { UpdateCourseDto } from './dto/update-course.dto';
import { RecordAttendanceDto } from './dto/record-attendance.dto';
import { UpdateSessionDto } from './dto/update-session.dto';

@ApiTags('courses')
@Controller('api/v1/courses')
export class CoursesApiController {
  constructor(
    private readonly courses: CoursesService,
    private readonly bookings: BookingsService,
    private readonly attendance: AttendanceService,
  ) {}

  /** Upcoming courses open for booking (public). */
  @Get()
  async listOpen(@Query() query: ListCoursesQuery) {
    return (await this.courses.listOpen(query.branch)).map((c) =>
      toCourseView(c.summary, c.sessions),
    );
  }

  @Post()
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto) {
    const created = await this.courses.create(actor, dto);
    return toCourseView(created.summary, created.sessions, created.warnings);
  }

  @Get(':id')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const course = await this.courses.get(actor, id);
    return toCourseView(course.summary, course.sessions);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdateCourseDto,
  ) {
    const course = await this.courses.update(actor, id, dto);
    return toCourseView(course.summary, course.sessions);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async cancelCourse(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const course = await this.courses.cancel(actor, id);
    return toCourseView(course.summary, course.sessions);
  }

  @Post(':id/sessions')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async addSession(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: AddSessionDto,
  ) {
    return toSessionView(await this.courses.addSession(actor, id, dto));
  }

  @Get(':id/attendance')
  @ApiJsonOrFile(
    { type: 'object', description: 'The attendance grid: sessions and participants' },
    'The grid as JSON; with `format` a CSV or XLSX download',
  )
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async attendanceGrid(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Query() query: ExportFormatQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (query.format) {
      sendExport(res, await this.attendance.exportAttendance(actor, id, query.format));
      return;
    }
    return toAttendanceGridView(await this.attendance.grid(actor, id));
  }

  @Put(':id/attendance')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async recordAttendanceGrid(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: CourseAttendanceDto,
  ) {
    return toAttendanceGridView(await this.attendance.recordGrid(actor, id, dto));
  }

  @Get(':id/participants')
  @ApiJsonOrFile(
    { type: 'array', items: { type: 'object' } },
    'The participants as JSON; with `format` a CSV or XLSX download',
  )
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async participants(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Query() query: ExportFormatQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (query.format) {
      sendExport(res, await this.attendance.exportParticipants(actor, id, query.format));
      return;
    }
    return (await this.courses.participants(actor, id)).map(
      ({ volunteerId, firstName, lastName, status, position }) => ({
        volunteerId,
        firstName,
        lastName,
        status,
        position,
      }),
    );
  }

  @Post(':id/bookings')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  book(@CurrentActor() actor: Actor, @UuidParam() courseId: string, @Body() dto: StaffBookingDto) {
    return this.bookings.book(
      { kind: 'staff', actor, confirmedSecond: dto.second === true },
      courseId,
      dto.volunteerId,
    );
  }

  @Delete(':id/bookings/:volunteerId')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async cancel(
    @CurrentActor() actor: Actor,
    @UuidParam() courseId: string,
    @UuidParam('volunteerId') volunteerId: string,
  ) {
    await this.bookings.cancel({ kind: 'staff', actor }, courseId, volunteerId);
  }
}

@ApiTags('courses')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/sessions')
export class SessionsApiController {
  constructor(
    private readonly courses: CoursesService,
    private readonly attendance: AttendanceService,
  ) {}

  @Put(':id/attendance')
  recordAttendance(
    @CurrentActor() actor: Actor,
    @UuidParam() sessionId: string,
    @Body() dto: RecordAttendanceDto,
  ) {
    return this.attendance.record(actor, sessionId, dto);
  }

  @Put(':id')
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() sessionId: string,
    @Body() dto: UpdateSessionDto,
  ) {
    return toSessionView(await this.courses.updateSession(actor, sessionId, dto));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentActor() actor: Actor, @UuidParam() sessionId: string) {
    return toSessionView(await this.courses.cancelSession(actor, sessionId));
  }
}
