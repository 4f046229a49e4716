import type { NextFunction, Response } from 'express';
import multer from 'multer';
import type { PageUploadRequest } from '../materials/page-upload.middleware';
import { MAX_IMPORT_BYTES } from './imports.api.controller';

const parse = multer({
  limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 20 },
}).single('file');

/**
 * The import page's upload, read before the guards as the materials' is (see
 * src/materials/page-upload.middleware.ts), with the import's 5 MB limit; only a
 * signed-in staff member's upload is read at all.
 */
export function importPageUpload(req: PageUploadRequest, res: Response, next: NextFunction): void {
  if (!req.session?.userId) {
    return next();
  }
  parse(req, res, (error?: unknown) => {
    if (error instanceof multer.MulterError) {
      req.uploadProblem = error.code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'invalid';
      req.file = undefined;
      return next();
    }
    next(error);
  });
}
