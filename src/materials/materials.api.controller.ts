import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { CreateMaterialDto, MaterialsQuery, UpdateMaterialDto } from './dto/material.dto';
import { MAX_MATERIAL_BYTES } from './material-files';
import { MaterialsService, type Upload } from './materials.service';

/**
 * Multer keeps the upload in memory (at most 20 MB; more is a 413 from Nest's multer
 * error mapping); the service then writes it to the database in chunks.
 */
export const materialUpload = () =>
  FileInterceptor('file', { limits: { fileSize: MAX_MATERIAL_BYTES, files: 1, fields: 10 } });

@ApiTags('materials')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/materials')
export class MaterialsApiController {
  constructor(private readonly materials: MaterialsService) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(materialUpload())
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateMaterialDto,
    @UploadedFile() file?: Upload,
  ) {
    return this.materials.create(actor, dto, file);
  }

  @Post(':id/versions')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(materialUpload())
  addVersion(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UploadedFile() file?: Upload,
  ) {
    return this.materials.addVersion(actor, id, file);
  }

  /** `{title?, requiresConfirmation?}`: admin for topic materials, the branch's staff for a session's. */
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: UpdateMaterialDto,
  ) {
    return this.materials.update(actor, id, dto);
  }

  /** Deletes the material, its versions and confirmations in one transaction (audited). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<void> {
    await this.materials.remove(actor, id);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: MaterialsQuery) {
    return this.materials.list(actor, query);
  }

  @Get(':id/file')
  async download(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Res() res: Response) {
    await this.materials.streamForStaff(actor, id, res);
  }
}
