import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';

export interface PageUploadRequest extends Request {
  /** Set when the page's upload was refused before the handler: shown by the file field. */
  uploadProblem?: 'tooLarge' | 'invalid';
}

/**
 * Route middleware that reads a page's one-file upload form (field `file`) of at most
 * `maxBytes`. A page's upload form is multipart, which the form parser leaves alone, and
 * csrf-sync reads the token from the parsed body. Guards (the CSRF check among them) run
 * before interceptors, so multer runs here, ahead of them; the token stays in the body
 * (never in the URL, where logs and history would keep it). Only a signed-in staff
 * member's upload is read at all, so nobody else can make the server take in a file; the
 * guards then refuse the empty request. An upload over the limit is not an error page
 * but a message by the file field (the fields before it, the token first, are parsed by
 * then).
 */
export function pageUpload(maxBytes: number) {
  const parse = multer({ limits: { fileSize: maxBytes, files: 1, fields: 20 } }).single('file');
  return (req: PageUploadRequest, res: Response, next: NextFunction): void => {
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
  };
}
