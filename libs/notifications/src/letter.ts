import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { addressLines } from './address';

export interface LetterInput {
  recipientName?: string;
  /** The postal address: street, houseNumber, postalCode, municipality (as the register holds it). */
  postalAddress: Record<string, unknown>;
  subject: string;
  body: string;
  /** The journey's web address, printed in full and encoded in the QR code. */
  link: string;
  reference: string;
  date: Date;
  language: string;
}

/**
 * A printable A4 letter: the address block where a window envelope shows it, the message, and
 * the way back into the digital process — the web address in full and as a QR code of exactly
 * that address. Deterministic apart from the date, so a re-render is the same letter.
 */
export async function renderLetterPdf(input: LetterInput): Promise<Buffer> {
  // The QR as a PNG of whole modules (no smoothing), large enough to scan from paper.
  const qr = await QRCode.toBuffer(input.link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: input.subject, Subject: input.reference }, lang: input.language });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(9).fillColor('#444').text('Levensloop', 56, 56).text(input.date.toISOString().slice(0, 10));
  doc.fillColor('#000').fontSize(11);
  doc.text([input.recipientName, ...addressLines(input.postalAddress)].filter(Boolean).join('\n'), 300, 140, { width: 240 });
  doc.fontSize(14).text(input.subject, 56, 260, { width: 483 });
  doc.moveDown().fontSize(11).text(input.body, { width: 483 });
  doc.moveDown(2).fontSize(11).text(input.link, { width: 483, link: input.link, underline: true });
  doc.image(qr, 56, doc.y + 12, { width: 120 });
  doc.fontSize(8).fillColor('#444').text(input.reference, 56, 780, { width: 483 });
  doc.end();
  return done;
}
