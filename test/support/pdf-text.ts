/**
 * Reads a PDF the way a test needs it, without a PDF library: its objects (pdfkit writes them
 * uncompressed, streams deflated), the catalog, and the text shown on its pages, decoded through
 * each font's ToUnicode map (embedded fonts show glyph ids, not characters).
 */
import { inflateSync } from 'node:zlib';

export interface PdfObject {
  dict: string;
  stream?: Buffer;
}

/** Every `n 0 obj … endobj`, its dictionary as text and its stream inflated (when FlateDecode). */
export function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const start = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = start.exec(text))) {
    const end = text.indexOf('endobj', m.index);
    const body = text.slice(m.index + m[0].length, end);
    const at = body.indexOf('stream');
    if (at < 0 || !/^stream\r?\n/.test(body.slice(at))) {
      objects.set(Number(m[1]), { dict: body.trim() });
      continue;
    }
    const dict = body.slice(0, at);
    const from = m.index + m[0].length + at + body.slice(at).match(/^stream\r?\n/)![0].length;
    const length = Number(dict.match(/\/Length (\d+)/)?.[1]);
    const raw = pdf.subarray(from, from + length);
    objects.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
    start.lastIndex = from + length;
  }
  return objects;
}

const ref = (dict: string, key: string) => {
  const m = dict.match(new RegExp(`/${key} (\\d+) 0 R`));
  return m ? Number(m[1]) : undefined;
};

/** The catalog's dictionary, with the dictionaries it refers to for MarkInfo resolved in place. */
export function pdfCatalog(pdf: Buffer): { dict: string; markInfo?: string; objects: Map<number, PdfObject> } {
  const objects = pdfObjects(pdf);
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog\b/.test(o.dict));
  if (!catalog) throw new Error('no catalog');
  const markRef = ref(catalog.dict, 'MarkInfo');
  const markInfo = markRef !== undefined ? objects.get(markRef)?.dict : catalog.dict.match(/\/MarkInfo\s*(<<[^>]*>>)/)?.[1];
  return { dict: catalog.dict, markInfo, objects };
}

/** A ToUnicode CMap as glyph code (hex) → text. */
function cmapOf(stream: string): Map<string, string> {
  const map = new Map<string, string>();
  const hexText = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex').swap16().toString('utf16le');
  for (const block of stream.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const [, code, uni] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(code.toLowerCase(), hexText(uni));
  }
  for (const block of stream.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const [, lo, hi, rest] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = parseInt(lo, 16);
      const to = parseInt(hi, 16);
      // An entry may map one code to several characters (a ligature): `<0066 0069>`.
      const list = rest.startsWith('[') ? [...rest.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => x[1].replace(/\s/g, '')) : undefined;
      for (let c = from; c <= to; c++) {
        const uni = list ? list[c - from] : (parseInt(rest.slice(1, -1), 16) + (c - from)).toString(16).padStart(rest.length - 2, '0');
        if (uni) map.set(c.toString(16).padStart(lo.length, '0'), hexText(uni));
      }
    }
  }
  return map;
}

/**
 * The text of every page, in content order, one line per text-showing operator. Fonts with a
 * ToUnicode map are decoded through it (two-byte codes); others are read as single bytes.
 */
export function pdfText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const lines: string[] = [];
  for (const page of [...objects.values()].filter((o) => /\/Type \/Page\b/.test(o.dict))) {
    const fonts = new Map<string, Map<string, string> | undefined>();
    const resourcesRef = ref(page.dict, 'Resources');
    const resources = resourcesRef !== undefined ? (objects.get(resourcesRef)?.dict ?? '') : page.dict;
    const fontRef = ref(resources, 'Font');
    const fontDict = (fontRef !== undefined ? objects.get(fontRef)?.dict : resources.match(/\/Font\s*<<([^>]*)>>/)?.[1]) ?? '';
    for (const [, name, id] of fontDict.matchAll(/\/(\S+?) (\d+) 0 R/g)) {
      const font = objects.get(Number(id));
      const toUnicode = font && ref(font.dict, 'ToUnicode');
      fonts.set(name, toUnicode !== undefined ? cmapOf(objects.get(toUnicode)!.stream!.toString('latin1')) : undefined);
    }
    const contentIds = [...(page.dict.match(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((x) => Number(x[1]));
    for (const id of contentIds) {
      const content = objects.get(id)?.stream?.toString('latin1') ?? '';
      let cmap: Map<string, string> | undefined;
      for (const op of content.matchAll(/\/(\S+) [\d.]+ Tf|(\[(?:[^\]]*)\]) TJ|(<[0-9a-fA-F]*>|\((?:[^)\\]|\\.)*\)) Tj/g)) {
        if (op[1]) {
          cmap = fonts.get(op[1]);
          continue;
        }
        const strings = op[2] ? [...op[2].matchAll(/<([0-9a-fA-F]*)>|\(((?:[^)\\]|\\.)*)\)/g)] : [[op[3], op[3].startsWith('<') ? op[3].slice(1, -1) : undefined, op[3].startsWith('(') ? op[3].slice(1, -1) : undefined]];
        lines.push(strings.map((s) => decode(s[1] as string | undefined, s[2] as string | undefined, cmap)).join(''));
      }
    }
  }
  return lines.join('\n');
}

function decode(hex: string | undefined, literal: string | undefined, cmap: Map<string, string> | undefined): string {
  if (literal !== undefined) return literal.replace(/\\(.)/g, '$1');
  if (!hex) return '';
  if (!cmap) return Buffer.from(hex, 'hex').toString('latin1');
  let out = '';
  for (let i = 0; i < hex.length; i += 4) out += cmap.get(hex.slice(i, i + 4).toLowerCase()) ?? '';
  return out;
}
