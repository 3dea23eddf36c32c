import * as zlib from 'node:zlib';
import jsQR from 'jsqr';
import { PDFDocument, PDFDict, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { PNG } from 'pngjs';

/** What a printed letter shows: the text of every content stream, and what its QR codes encode. */
export async function readLetter(pdf: Buffer): Promise<{ text: string; qrCodes: string[]; pages: number }> {
  const doc = await PDFDocument.load(pdf);
  const texts: string[] = [];
  const qrCodes: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const dict = object.dict;
    const flate = dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode');
    const bytes = Buffer.from(object.contents);
    if (dict.get(PDFName.of('Subtype')) === PDFName.of('Image')) {
      const image = decodeImage(dict, bytes);
      if (!image) continue;
      const code = jsQR(image.data, image.width, image.height);
      if (code) qrCodes.push(code.data);
      continue;
    }
    if (dict.get(PDFName.of('Type')) || dict.get(PDFName.of('Subtype'))) continue;
    const content = flate ? safeInflate(bytes) : bytes;
    if (content) texts.push(...showTexts(content.toString('latin1')));
  }
  return { text: texts.join('\n'), qrCodes, pages: doc.getPageCount() };
}

function safeInflate(bytes: Buffer): Buffer | undefined {
  try {
    return zlib.inflateSync(bytes);
  } catch {
    return undefined;
  }
}

/** The strings of each TJ/Tj operator (pdfkit writes standard-font text as hex, WinAnsi). */
function showTexts(content: string): string[] {
  const out: string[] = [];
  for (const m of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    const hexes = m[1] !== undefined ? [...m[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [m[2]];
    out.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
  }
  return out;
}

const num = (dict: PDFDict, name: string) => (dict.get(PDFName.of(name)) as PDFNumber | undefined)?.asNumber();

/** An image XObject as RGBA pixels: raw Flate pixels (pdfkit's path for PNGs with alpha) or PNG-predicted IDAT data. */
function decodeImage(dict: PDFDict, bytes: Buffer): { data: Uint8ClampedArray; width: number; height: number } | undefined {
  const width = num(dict, 'Width');
  const height = num(dict, 'Height');
  if (!width || !height) return undefined;
  const cs = dict.get(PDFName.of('ColorSpace'));
  const channels = cs === PDFName.of('DeviceGray') ? 1 : 3;
  const parms = dict.get(PDFName.of('DecodeParms')) as PDFDict | undefined;
  if (parms && (num(parms, 'Predictor') ?? 1) >= 10) {
    // The stream is exactly a PNG's IDAT data: wrap it in a PNG and let pngjs undo the filters.
    const png = buildPng(width, height, channels === 1 ? 0 : 2, bytes);
    const decoded = PNG.sync.read(png);
    return { data: new Uint8ClampedArray(decoded.data), width, height };
  }
  const raw = safeInflate(bytes);
  if (!raw || raw.length < width * height * channels) return undefined;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = raw[i * channels + (channels === 1 ? 0 : c)];
    rgba[i * 4 + 3] = 255;
  }
  return { data: rgba, width, height };
}

function buildPng(width: number, height: number, colorType: number, idat: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
