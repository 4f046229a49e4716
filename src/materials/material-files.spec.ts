import { materialTypeOf } from './material-files';

/** A compound file (old Office, installers) holding a stream of the given name. */
const compoundFile = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(1024),
    Buffer.from(stream, 'utf16le'),
    Buffer.alloc(512),
  ]);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('the type of an uploaded material', () => {
  it('should tell an old Word from an old PowerPoint file by the stream inside, not the name', async () => {
    expect(await materialTypeOf(compoundFile('WordDocument'), 'referat.doc')).toEqual({
      contentType: 'application/msword',
    });
    expect(await materialTypeOf(compoundFile('PowerPoint Document'), 'slides.ppt')).toEqual({
      contentType: 'application/vnd.ms-powerpoint',
    });
    // A Word file called .ppt, a spreadsheet or an installer called .doc.
    for (const [stream, name] of [
      ['WordDocument', 'slides.ppt'],
      ['Workbook', 'regneark.doc'],
      ['\u0005SummaryInformation', 'setup.doc'],
    ]) {
      expect(await materialTypeOf(compoundFile(stream), name)).toMatchObject({
        error: { field: 'file', code: 'notAllowedType' },
      });
    }
  });

  it('should want a name that agrees with the content, extension included', async () => {
    expect(await materialTypeOf(pdf, 'Politik.PDF')).toEqual({ contentType: 'application/pdf' });
    for (const name of ['politik', 'politik.docx', 'politik.pdf.exe']) {
      expect(await materialTypeOf(pdf, name)).toMatchObject({ error: { code: 'notAllowedType' } });
    }
  });
});
