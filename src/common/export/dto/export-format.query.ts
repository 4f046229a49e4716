import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProduces,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsIn, IsOptional } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../spreadsheet';

/** The OpenAPI words of a list route's `format`. */
export const FORMAT_DESCRIPTION =
  'The rows as a file instead of JSON: csv (Danish Excel: `;`, UTF-8 with BOM, dd-mm-yyyy) or xlsx';

/** The media types of a list route that answers a file with `format`. */
export const LIST_MEDIA_TYPES = [
  'application/json',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/**
 * The 200 of a route that answers JSON, or with `format` a CSV or XLSX download: each
 * media type with its own schema (Swagger would give every type the JSON's schema).
 */
export function ApiJsonOrFile(json: Type<unknown> | SchemaObject, description: string) {
  const file = { schema: { type: 'string', format: 'binary' } as SchemaObject };
  const model = typeof json === 'function' ? json : null;
  const jsonSchema: SchemaObject | { $ref: string } = model
    ? { $ref: getSchemaPath(model) }
    : (json as SchemaObject);
  return applyDecorators(
    ...(model ? [ApiExtraModels(model)] : []),
    ApiProduces(...LIST_MEDIA_TYPES),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: jsonSchema },
        'text/csv': file,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': file,
      },
    }),
  );
}

/** `format=csv|xlsx` on a list route: the rows as a file instead of JSON. */
export class ExportFormatQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: FORMAT_DESCRIPTION })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}
