import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import PDFDocument from 'pdfkit';
import { problem, sendProblem } from '../http/problem';
import type { Population } from '../population/population';
import type { Person } from '../population/model';
import type { SourceRegisters } from './registers';

const SOURCE = 'criminal-record';
const TYPE = 'certificate-of-good-conduct';

/** Header values travel percent-encoded (UTF-8), since a purpose may hold any character. */
function header(req: Request, name: string): string | undefined {
  const raw = req.get(name)?.trim();
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Age in whole years on `today` (YYYY-MM-DD strings compare as dates). */
const ageOn = (birthDate: string, today: string) => Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (today.slice(5) < birthDate.slice(5) ? 1 : 0);

/**
 * Who has no extract online: a person the national register does not know, and a minor (the
 * Central Criminal Record delivers extracts online to adults; others go to their municipality).
 */
export function whyNoExtract(person: Person | undefined, today = new Date().toISOString().slice(0, 10)): string | undefined {
  if (!person) return 'the person is not registered in a Belgian municipality, so no extract is delivered online; ask the municipality or the consulate';
  if (ageOn(person.birthDate, today) < 18) return 'extracts are delivered online to adults only; a minor asks the municipality';
  return undefined;
}

/** The extract as the register issues it: a one-page PDF saying the record holds no conviction. */
export async function extractPdf(nationalNumber: string, person: Person, issuedAt: Date): Promise<Buffer> {
  const reference = `SR-${createHash('sha256').update(`${nationalNumber}/${issuedAt.toISOString()}`).digest('hex').slice(0, 12).toUpperCase()}`;
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Uittreksel uit het strafregister', Subject: reference }, lang: 'nl-BE' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(16).text('Uittreksel uit het strafregister (model 1)', { align: 'left' });
  doc.moveDown().fontSize(11);
  doc.text('Centraal Strafregister — FOD Justitie (sandbox)');
  doc.moveDown();
  doc.text(`Naam: ${person.name.given} ${person.name.family}`);
  doc.text(`Geboortedatum: ${person.birthDate}`);
  doc.text(`Rijksregisternummer: ${nationalNumber}`);
  doc.moveDown();
  doc.text('Het strafregister vermeldt geen veroordeling.');
  doc.moveDown();
  doc.text(`Afgegeven op ${issuedAt.toISOString().slice(0, 10)}, referentie ${reference}.`);
  doc.end();
  return done;
}

/**
 * The Central Criminal Record as an evidence provider (the once-only technical system's far end):
 * `GET /sources/criminal-record/persons/<national number>/evidence/certificate-of-good-conduct`
 * with the sources token and the reason in headers answers the extract as a PDF, or a 404
 * problem `no-evidence` saying why there is none. Every request is in the register's read log,
 * and the source's injected behaviour (slow, down) applies.
 */
export function evidenceRoutes(population: Population, registers: SourceRegisters): Router {
  const router = Router();
  router.get(`/sources/${SOURCE}/persons/:key/evidence/:type`, async (req: Request, res: Response) => {
    const key = String(req.params.key);
    const type = String(req.params.type);
    if (req.get('authorization') !== `Bearer ${registers.token}`) {
      res.setHeader('www-authenticate', 'Bearer realm="sources"');
      return sendProblem(res, problem(401, 'unauthorized', `Asking ${SOURCE} needs Authorization: Bearer <the sources token> (SOURCES_TOKEN).`));
    }
    const purpose = header(req, 'x-purpose');
    const legalBasis = header(req, 'x-legal-basis');
    const requester = header(req, 'x-requester');
    const journeyId = header(req, 'x-journey-id');
    const answer = (status: number) =>
      registers.record({ at: new Date().toISOString(), source: SOURCE, subject: key, fields: [type], ...(purpose ? { purpose } : {}), ...(legalBasis ? { legalBasis } : {}), ...(requester ? { requester } : {}), ...(journeyId ? { journeyId } : {}), status });
    const refuse = (status: number, slug: string, detail: string) => {
      answer(status);
      return sendProblem(res, problem(status, slug, detail));
    };
    if (!purpose || !legalBasis) return refuse(400, 'purpose-required', 'Every request states why: send X-Purpose and X-Legal-Basis (percent-encoded UTF-8), and X-Requester.');
    if (type !== TYPE) return refuse(400, 'unknown-type', `${SOURCE} delivers ${TYPE} only (got "${type}").`);
    if (!/^\d{11}$/.test(key)) return refuse(400, 'bad-key', `The key in the path must be a national number: 11 digits (got "${key}").`);
    let failure: number | undefined;
    try {
      failure = await registers.behave(SOURCE);
    } catch {
      return; // the sandbox is closing
    }
    if (failure) {
      if (failure === 429) res.setHeader('retry-after', '1');
      return refuse(failure, 'injected-failure', `${SOURCE} is ${failure === 429 ? 'throttling requests' : 'unavailable'} (injected by PUT /_sandbox/sources/${SOURCE}/behaviour).`);
    }
    const person = population.person(key);
    const none = whyNoExtract(person);
    if (none || !person) return refuse(404, 'no-evidence', `No extract from the criminal record for ${key}: ${none}.`);
    const pdf = await extractPdf(key, person, new Date());
    answer(200);
    res.set({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="uittreksel-strafregister.pdf"`, 'cache-control': 'no-store' });
    res.status(200).end(pdf);
  });
  return router;
}
