import * as fs from 'node:fs';
import * as path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Language } from '@levensloop/domain';
import type { DossierContent } from './content';
import { formatDateTime, formatDay, formatSize, text, type TextKey } from './texts';

/**
 * The dossier as a PDF a screen reader reads: tagged (PDF 1.7, a structure tree of H1, H2, H3,
 * P and Table with TH/TD, the page numbers marked as artifacts), its language and title set and
 * shown, text in an embedded font (DejaVu Sans, apps/gateway/assets/fonts) so every character is
 * mapped to Unicode. Rendered from the content model only.
 */

const FONT_DIR = ['apps', 'gateway', 'assets', 'fonts'];
let fonts: { body: Buffer; bold: Buffer } | null | undefined;

/** The embedded fonts (read once); null when they are not deployed, then the standard Helvetica is used. */
function loadFonts() {
  if (fonts !== undefined) return fonts;
  const dir = fontDir();
  fonts = dir ? { body: fs.readFileSync(path.join(dir, 'DejaVuSans.ttf')), bold: fs.readFileSync(path.join(dir, 'DejaVuSans-Bold.ttf')) } : null;
  return fonts;
}

/** The fonts' folder under the project root, from the sources or from dist/ alike (the image copies it there too). */
function fontDir(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ...FONT_DIR);
    if (fs.existsSync(path.join(candidate, 'DejaVuSans.ttf'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
type Cell = string | { text: string; type?: 'TH' | 'TD' };

const MARGIN = 56;
const GREY = '#4a4a4a';

export async function renderDossierPdf(c: DossierContent): Promise<Buffer> {
  const lang = c.language as Language;
  const t = (key: TextKey, values?: Record<string, string | number>) => text(lang, key, values);
  const embedded = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    tagged: true,
    lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: c.title, Subject: c.journey.id, Author: 'Levensloop', Creator: 'Levensloop', CreationDate: new Date(c.generatedAt) },
  });
  if (embedded) {
    doc.registerFont('body', embedded.body);
    doc.registerFont('bold', embedded.bold);
  } else {
    doc.registerFont('body', 'Helvetica');
    doc.registerFont('bold', 'Helvetica-Bold');
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  heading(doc, root, 'H1', c.title);
  paragraph(doc, root, t('intro', { date: formatDay(lang, c.generatedAt) }));

  const journey = section(doc, root, t('journey'));
  const j = c.journey;
  facts(doc, journey, [
    [t('lifeEvent'), `${j.lifeEvent.title}`],
    [t('reference'), j.id],
    [t('subject'), j.subject.id],
    [t('status'), j.status.label],
    [t('started'), formatDateTime(lang, j.startedAt)],
    [t('ended'), formatDateTime(lang, j.endedAt)],
    [t('cancelReason'), j.cancelReason ?? ''],
    [t('requestedBy'), c.requestedBy.label],
    [t('generatedAt'), formatDateTime(lang, c.generatedAt)],
  ]);

  const steps = section(doc, root, t('steps'));
  if (!c.steps.length) paragraph(doc, steps, t('none'));
  for (const s of c.steps) {
    heading(doc, steps, 'H3', s.title);
    facts(doc, steps, [
      [t('agency'), s.agency.name],
      [t('status'), s.status.label],
      [t('due'), formatDateTime(lang, s.dueAt)],
      [t('completed'), formatDateTime(lang, s.completedAt)],
      [t('outcome'), s.outcome?.label ?? ''],
      [t('comment'), s.outcome?.comment ?? ''],
    ]);
  }

  const decisions = section(doc, root, t('decisions'));
  if (!c.decisions.length) paragraph(doc, decisions, t('none'));
  for (const d of c.decisions) {
    heading(doc, decisions, 'H3', d.step);
    facts(doc, decisions, [
      [t('agency'), d.agency.name],
      [t('outcome'), d.outcome.label],
      [t('decidedAt'), formatDateTime(lang, d.decided.at)],
      [t('rule'), t('ruleVersion', { id: d.rule.id, version: d.rule.version })],
      [t('explanation'), d.decided.explanation],
      [t('override'), d.override ? `${d.override.outcome.label}: ${d.override.reason}` : ''],
    ]);
    for (const [key, stage] of [['objection', d.objection], ['appeal', d.appeal]] as const) {
      if (!stage) continue;
      heading(doc, decisions, 'H4', t(key));
      facts(doc, decisions, [
        [t('filedAt'), formatDateTime(lang, stage.filedAt)],
        [t('reason'), stage.reason],
        [t('status'), stage.status.label],
        [t('outcome'), 'outcome' in stage && stage.outcome ? stage.outcome.label : ''],
        [t('explanation'), 'explanation' in stage ? (stage.explanation ?? '') : ''],
      ]);
    }
  }

  const used = section(doc, root, t('dataUsed'));
  table(doc, used, [t('step'), t('field'), t('origin'), t('purpose'), t('legalBasis')], c.dataUsed.map((u) => [u.step, `${u.field.title} (${u.source.title})`, u.origin.label, u.purpose, u.legalBasis?.explanation ?? '']), t('none'));

  const reads = section(doc, root, t('dataAccess'));
  table(
    doc,
    reads,
    [t('when'), t('who'), t('fields'), t('purpose'), t('outcome')],
    c.dataAccess.items.map((r) => [formatDateTime(lang, r.at), r.who.label, `${r.fields.map((f) => f.title).join(', ')} (${r.source.title})`, `${r.purpose} ${r.legalBasis.explanation}`.trim(), r.outcome.label]),
    t('none'),
  );
  if (!c.dataAccess.complete) paragraph(doc, reads, t('truncated', { count: c.dataAccess.items.length }));

  const messages = section(doc, root, t('messages'));
  table(
    doc,
    messages,
    [t('when'), t('category'), t('subjectLine'), t('channel')],
    c.messages.map((m) => [formatDateTime(lang, m.at), m.category.title, m.subject, m.channels.map((ch) => `${ch.label} (${ch.status.label})`).join(', ')]),
    t('none'),
  );

  const documents = section(doc, root, t('documents'));
  table(doc, documents, [t('name'), t('type'), t('size'), t('when'), t('step')], c.documents.map((d) => [`${d.title}: ${d.name}`, d.type, formatSize(lang, d.size), formatDateTime(lang, d.uploadedAt), d.step]), t('none'));

  root.end();
  pageNumbers(doc, lang);
  doc.end();
  return done;
}

function heading(doc: Doc, parent: Struct, type: 'H1' | 'H2' | 'H3' | 'H4', value: string) {
  const size = { H1: 18, H2: 14, H3: 12, H4: 11 }[type];
  if (type !== 'H1') doc.moveDown(type === 'H2' ? 1 : 0.6);
  doc.x = MARGIN;
  doc.font('bold').fontSize(size).fillColor('#000');
  parent.add(doc.struct(type, {}, () => doc.text(value, { width: contentWidth(doc) })));
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, parent: Struct, value: string) {
  doc.x = MARGIN;
  doc.font('body').fontSize(10).fillColor('#000');
  parent.add(doc.struct('P', {}, () => doc.text(value, { width: contentWidth(doc) })));
  doc.moveDown(0.4);
}

function section(doc: Doc, root: Struct, title: string): Struct {
  const sect = doc.struct('Sect');
  root.add(sect);
  heading(doc, sect, 'H2', title);
  return sect;
}

/** Label and value pairs as a two-column table with the labels as row headers; empty values are left out. */
function facts(doc: Doc, parent: Struct, rows: Array<[string, string]>) {
  const shown = rows.filter(([, v]) => v.trim() !== '');
  if (!shown.length) return;
  drawTable(doc, parent, [150, '*'], shown.map(([k, v]) => [{ text: k, type: 'TH' }, v]));
}

/** A table with a header row; `empty` said as a paragraph when there are no rows. */
function table(doc: Doc, parent: Struct, head: string[], rows: string[][], empty: string) {
  if (!rows.length) return paragraph(doc, parent, empty);
  drawTable(doc, parent, head.map(() => '*'), [head.map((h) => ({ text: h, type: 'TH' as const })), ...rows]);
}

function drawTable(doc: Doc, parent: Struct, columns: Array<number | string>, data: Cell[][]) {
  doc.x = MARGIN;
  doc.font('body').fontSize(9).fillColor('#000');
  // The table tags itself (Table, TR, TH/TD) under `structParent`; its types do not list that option yet.
  const options = {
    structParent: parent,
    columnStyles: columns,
    defaultStyle: { border: 0.5, borderColor: '#8a8a8a', padding: 4 },
    data: data.map((row) => row.map((cell) => (typeof cell === 'string' ? { text: cell } : { ...cell, font: { src: 'bold' }, backgroundColor: '#f0f0f0' }))),
  };
  doc.table(options as unknown as PDFKit.Mixins.TableOptionsWithData);
  doc.moveDown(0.6);
}

function contentWidth(doc: Doc) {
  return doc.page.width - MARGIN * 2;
}

/** "Page n of m" at the foot of every page, as an artifact (not content a screen reader reads). */
function pageNumbers(doc: Doc, lang: Language) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('body').fontSize(8).fillColor(GREY).text(text(lang, 'pageOf', { page: i + 1, pages: range.count }), MARGIN, doc.page.height - 36, { width: contentWidth(doc), align: 'right', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}
