import { fileTypeFromBuffer } from 'file-type';
import type { FieldError } from '../common/errors';

/** Largest upload: 20 MB (the limit; multer refuses more with a 413). */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;
/** Stored in rows of this size, so a download holds one chunk in memory at a time. */
export const CHUNK_BYTES = 256 * 1024;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** The extensions a name may carry for each kind the content shows. */
const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  [DOCX]: ['docx'],
  [PPTX]: ['pptx'],
  'application/msword': ['doc'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
};

const notAllowed = (): FieldError => ({
  field: 'file',
  code: 'notAllowedType',
  message:
    'Filen skal være PDF, Word, PowerPoint, PNG eller JPEG. / The file must be PDF, Word, PowerPoint, PNG or JPEG.',
});

/**
 * The content type of an upload, from its bytes rather than its name: a PDF, Word or
 * PowerPoint document, or a PNG or JPEG image. The name must agree with the content
 * (a text file called .pdf is refused), so a download never opens as something else.
 * Old Word and PowerPoint files share one container format (CFB) with Excel and
 * installers; there the name of the main stream inside tells them apart. A name without
 * an extension is refused too: the download would open as nothing in particular.
 */
export async function materialTypeOf(
  bytes: Buffer,
  fileName: string,
): Promise<{ contentType: string } | { error: FieldError }> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const detected = await fileTypeFromBuffer(bytes);
  let contentType: string | undefined = detected?.mime;
  if (detected?.ext === 'cfb') {
    contentType = oldOfficeType(bytes);
  }
  if (!contentType || !EXTENSIONS[contentType] || !ext || !EXTENSIONS[contentType].includes(ext)) {
    return { error: notAllowed() };
  }
  return { contentType };
}

/** Word or PowerPoint by the stream each keeps its document in (names are UTF-16LE). */
function oldOfficeType(bytes: Buffer): string | undefined {
  if (bytes.includes(Buffer.from('WordDocument', 'utf16le'))) {
    return 'application/msword';
  }
  if (bytes.includes(Buffer.from('PowerPoint Document', 'utf16le'))) {
    return 'application/vnd.ms-powerpoint';
  }
  return undefined;
}

/** The bytes cut into stored chunks. */
export function chunksOf(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
  }
  return chunks;
}

/** A file name safe for a Content-Disposition header (RFC 6266's filename*). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'material';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName.slice(0, 200))}`;
}
