import type { Writable } from 'node:stream';
import type { Certificate } from './certificate';

const LABELS = {
  da: {
    heading: 'Kursusbevis',
    intro: (name: string, course: string) =>
      `${name} har gennemført det forberedende kursus for familievenner, ${course}.`,
    branch: 'Afdeling',
    period: 'Periode',
    hours: 'Timer i alt',
    topics: 'Emner',
    sessions: 'Kursusgange',
    hoursUnit: 'timer',
    issued: 'Udstedt',
  },
  en: {
    heading: 'Course certificate',
    intro: (name: string, course: string) =>
      `${name} has completed the preparatory course for family friends, ${course}.`,
    branch: 'Branch',
    period: 'Period',
    hours: 'Total hours',
    topics: 'Topics',
    sessions: 'Sessions',
    hoursUnit: 'hours',
    issued: 'Issued',
  },
} as const;

/**
 * Writes the certificate as a PDF into `out` as it is made (never whole in memory).
 * pdfkit's built-in Helvetica is enough: its WinAnsi encoding has æ, ø and å.
 */
export async function writeCertificatePdf(certificate: Certificate, out: Writable): Promise<void> {
  // Loaded on the first certificate, not at start-up: pdfkit is large and most runs of
  // Klar (and every test file) never make a PDF.
  const { default: PDFDocument } = await import('pdfkit');
  const l = LABELS[certificate.locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `${l.heading} – ${certificate.volunteerName}`,
      Author: certificate.organisation,
    },
  });
  doc.pipe(out);

  doc.font('Helvetica').fontSize(11).fillColor('#555555').text(certificate.organisation);
  doc.moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(28).fillColor('#000000').text(l.heading);
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(18).text(certificate.volunteerName);
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(l.intro(certificate.volunteerName, certificate.courseTitle));
  doc.moveDown();

  const fact = (label: string, value: string) =>
    doc
      .font('Helvetica-Bold')
      .text(`${label}: `, { continued: true })
      .font('Helvetica')
      .text(value);
  fact(l.branch, certificate.branchName);
  fact(l.period, certificate.period);
  fact(l.hours, certificate.hours);
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(14).text(l.topics);
  doc.font('Helvetica').fontSize(11);
  doc.list(certificate.topics, { bulletRadius: 2 });
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(14).text(l.sessions);
  doc.fontSize(11);
  for (const session of certificate.sessions) {
    doc
      .moveDown(0.4)
      .font('Helvetica-Bold')
      .text(`${session.day}, ${session.time} (${session.hours} ${l.hoursUnit})`)
      .font('Helvetica')
      .text([session.course, ...session.topics].join(' · '));
  }
  doc.moveDown(2);
  doc.fontSize(10).fillColor('#555555').text(`${l.issued} ${certificate.issuedOn}`);
  doc.end();
}
