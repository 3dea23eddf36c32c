import { Writer, type Quad } from 'n3';
import { LANGUAGES } from '@levensloop/domain';
import { compact, PREFIXES, RDF_TYPE } from './vocabulary';

const XSD_STRING = `${PREFIXES.xsd}string`;

/** The fixed JSON-LD context: the prefixes alone, so every compact IRI expands (`cv:LifeEvent`). */
export const JSON_LD_CONTEXT: Record<string, string> = Object.fromEntries(Object.entries(PREFIXES).filter(([p]) => p !== 'rdf'));

// Code-unit order, not the locale's: the same text on every machine.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
// rdf:type first (Turtle's `a`), then the properties by IRI.
const predicateKey = (q: Quad) => (q.predicate.equals(RDF_TYPE) ? '' : q.predicate.value);
const bySubjectThenPredicate = (a: Quad, b: Quad) => cmp(a.subject.value, b.subject.value) || cmp(predicateKey(a), predicateKey(b)) || cmp(objectKey(a), objectKey(b));
// Texts in the catalogue's language order (nl, fr, de, en), then by value.
const languageRank = (lang: string) => {
  const i = (LANGUAGES as readonly string[]).indexOf(lang);
  return i < 0 ? LANGUAGES.length : i;
};
const objectKey = (q: Quad) => (q.object.termType === 'Literal' ? `${languageRank(q.object.language)}@${q.object.language}"${q.object.value}"^${q.object.datatype.value}` : `<${q.object.value}>`);

type JsonLdValue = string | { '@id': string } | { '@value': string; '@language': string } | { '@value': string; '@type': string };
type JsonLdNode = { '@id': string; '@type'?: string | string[] } & Record<string, JsonLdValue | JsonLdValue[] | string | string[]>;

function value(q: Quad): JsonLdValue {
  const o = q.object;
  if (o.termType !== 'Literal') return { '@id': compact(o.value) };
  if (o.language) return { '@value': o.value, '@language': o.language };
  if (o.datatype.value === XSD_STRING) return o.value;
  return { '@value': o.value, '@type': compact(o.datatype.value) };
}

/**
 * JSON-LD in compacted form with the fixed context: one node object per subject in `@graph`,
 * subjects, properties and values in a stable order (the same catalogue gives the same text).
 * Written here rather than with a JSON-LD library: the graph is flat (named nodes, literals),
 * so compaction is a prefix lookup.
 */
export function toJsonLd(quads: Quad[]): { '@context': Record<string, string>; '@graph': JsonLdNode[] } {
  const nodes = new Map<string, JsonLdNode>();
  for (const q of [...quads].sort(bySubjectThenPredicate)) {
    const id = q.subject.value;
    const node = nodes.get(id) ?? { '@id': compact(id) };
    nodes.set(id, node);
    if (q.predicate.equals(RDF_TYPE)) {
      const type = compact(q.object.value);
      node['@type'] = node['@type'] === undefined ? type : [...[node['@type']].flat(), type];
      continue;
    }
    const key = compact(q.predicate.value);
    const existing = node[key];
    node[key] = existing === undefined ? value(q) : [...(Array.isArray(existing) ? existing : [existing]), value(q)] as JsonLdValue[];
  }
  return { '@context': JSON_LD_CONTEXT, '@graph': [...nodes.values()] };
}

/** Turtle with the same prefixes, through n3's Writer; subjects and their properties grouped, in a stable order. */
export function toTurtle(quads: Quad[]): Promise<string> {
  const writer = new Writer({ prefixes: { ...PREFIXES } });
  writer.addQuads([...quads].sort(bySubjectThenPredicate));
  return new Promise((resolve, reject) => writer.end((err, result: string) => (err ? reject(err) : resolve(result))));
}
