import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataFactory, Parser, Writer, type Quad } from 'n3';

// From test/support, or from dist/test/support when compiled.
export const CPSV_AP_SHAPES = path.resolve(__dirname, __filename.endsWith('.js') ? '../../../docs/cpsv-ap/cpsv-ap-shapes.ttl' : '../../docs/cpsv-ap/cpsv-ap-shapes.ttl');

export interface ShaclReport {
  conforms: boolean;
  /** pySHACL's human-readable report. */
  text: string;
}

/** pySHACL (PYSHACL_PATH, set by `npm test` when a test that needs it runs) on a data graph in Turtle or JSON-LD. */
export async function validateWithPyshacl(data: string, format: 'turtle' | 'json-ld', shapes: string = CPSV_AP_SHAPES): Promise<ShaclReport> {
  const pyshacl = process.env.PYSHACL_PATH;
  if (!pyshacl) throw new Error('PYSHACL_PATH is not set: run this test through `npm test` (it installs pySHACL into .runtime/pyshacl), or set it to a pyshacl binary.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-shacl-'));
  const file = path.join(dir, format === 'turtle' ? 'data.ttl' : 'data.jsonld');
  fs.writeFileSync(file, data);
  try {
    // Exit code 0: conforms; 1: does not conform; anything else: pySHACL could not validate.
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(pyshacl, ['-s', shapes, '-sf', 'turtle', '-df', format, file], { maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
      ),
    );
    if (code !== 0 && code !== 1) throw new Error(`pyshacl failed (exit ${code}): ${stderr || stdout}`);
    return { conforms: code === 0, text: stdout };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const parseTurtle = (turtle: string): Quad[] => new Parser({ format: 'text/turtle' }).parse(turtle);

export function writeTurtle(quads: Quad[], prefixes: Record<string, string> = {}): Promise<string> {
  const writer = new Writer({ prefixes });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((err, out: string) => (err ? reject(err) : resolve(out))));
}

/**
 * Shapes that hold exactly for a graph like this one (named nodes and literals, no blank
 * nodes): each subject has each of its values, and as many values per property. Validating
 * another serialisation against them shows it says the same (pySHACL reads it, not our code).
 */
export async function sameGraphShapes(quads: Quad[]): Promise<string> {
  const { namedNode, blankNode, literal, quad } = DataFactory;
  const sh = (local: string) => namedNode(`http://www.w3.org/ns/shacl#${local}`);
  const rdfType = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
  const integer = namedNode('http://www.w3.org/2001/XMLSchema#integer');
  const bySubject = new Map<string, Map<string, Quad[]>>();
  for (const q of quads) {
    const predicates = bySubject.get(q.subject.value) ?? new Map<string, Quad[]>();
    bySubject.set(q.subject.value, predicates);
    predicates.set(q.predicate.value, [...(predicates.get(q.predicate.value) ?? []), q]);
  }
  const out: Quad[] = [];
  let n = 0;
  for (const [subject, predicates] of bySubject) {
    const shape = blankNode(`s${n++}`);
    out.push(quad(shape, rdfType, sh('NodeShape')), quad(shape, sh('targetNode'), namedNode(subject)));
    for (const [predicate, values] of predicates) {
      const property = blankNode(`p${n++}`);
      const count = literal(String(values.length), integer);
      out.push(quad(shape, sh('property'), property), quad(property, sh('path'), namedNode(predicate)), quad(property, sh('minCount'), count), quad(property, sh('maxCount'), count));
      for (const v of values) out.push(quad(property, sh('hasValue'), v.object));
    }
  }
  return writeTurtle(out, { sh: 'http://www.w3.org/ns/shacl#' });
}
