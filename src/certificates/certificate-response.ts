import type { Response } from 'express';
import type { Certificate } from './certificate';
import { writeCertificatePdf } from './certificate-pdf';

/** Sends the certificate as a PDF download, streamed as pdfkit writes it. */
export async function sendCertificate(res: Response, certificate: Certificate): Promise<void> {
  const name = certificate.locale === 'en' ? 'course-certificate.pdf' : 'kursusbevis.pdf';
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  await writeCertificatePdf(certificate, res);
}
