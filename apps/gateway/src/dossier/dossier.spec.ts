import { LANGUAGES, type Language } from '@levensloop/domain';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the PDF reader the end-to-end test shares
import { pdfCatalog, pdfText } from '../../../../test/support/pdf-text';
import { dossierContent, DOSSIER_FORMAT, type DossierFacts } from './content';
import { renderDossierPdf } from './pdf';
import { TEXT_KEYS, textRow } from './texts';

const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 11, day, hour));
const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });

/** A birth journey: one step done, one decision objected to, a data read, a message, a document. */
function facts(over: Partial<DossierFacts> = {}): DossierFacts {
  return {
    generatedAt: at(7, 12),
    reader: 'representative',
    journey: { id: '0b0d7c1e-0000-4000-8000-000000000001', life_event_key: 'birth-of-a-child', life_event_version: 1, title: titles('Birth of a child', 'Geboorte van een kind'), subject_type: 'person', subject_id: '26120100123', status: 'completed', started_at: at(1), completed_at: at(5), cancel_reason: null },
    agencies: { 'growth-package': titles('Growth package', 'Groeipakket'), 'health-insurer': null },
    steps: [
      { node_key: 'register-child', agency: 'health-insurer', kind: 'automatic', status: 'completed', title: titles('Register the child', 'Kind inschrijven'), started_at: at(1), due_at: at(3), completed_at: at(2), outcome: { result: 'done', data: { secret: 'x' } } },
      { node_key: 'birth-grant', agency: 'growth-package', kind: 'decision', status: 'completed', title: titles('Birth grant', 'Kraamgeld'), started_at: at(2), due_at: null, completed_at: at(2, 11), outcome: { result: 'approved' } },
      { node_key: 'home-visit', agency: 'growth-package', kind: 'caseworker', status: 'skipped', title: titles('Home visit', 'Huisbezoek'), started_at: null, due_at: null, completed_at: null, outcome: { reason: 'Not needed: the family moved' } },
    ],
    decisions: [
      {
        node_key: 'birth-grant', agency: 'growth-package', rule_id: 'birth-grant', rule_version: 2, outcome: 'grant',
        explanation: { nl: 'Geboren op 2026-12-01 in Vlaanderen: kraamgeld toegekend.', fr: 'Né le 2026-12-01 en Flandre : prime accordée.', de: 'Geboren am 2026-12-01 in Flandern: bewilligt.', en: 'Born on 2026-12-01 in Flanders: birth grant granted.' },
        decided_at: at(2, 11), override_outcome: null, override_reason: null, overridden_at: null, revised_outcome: null,
      },
    ],
    objections: [{ node_key: 'birth-grant', reason: 'The amount is too low', filed_at: at(3), status: 'upheld', verdict: 'uphold', explanation: { nl: 'Het bedrag is wettelijk bepaald.', en: 'The amount is set by law.' }, reviewed_at: at(4) }],
    appeals: [],
    declared: [
      {
        node_key: 'birth-grant',
        requirements: [{ source: 'national-register', field: 'birthDate', purpose: titles('To know whether the child was born in time', 'Om te weten of het kind op tijd geboren is'), legalBasis: { type: 'law', reference: 'Decreet Groeipakket art. 8' } }],
      },
    ],
    fields: [{ node_key: 'birth-grant', source: 'national-register', field: 'birthDate', origin: 'source', at: at(2) }],
    reads: [
      {
        at: at(2), actor_kind: 'step', agency: 'growth-package', agency_names: null, node_key: 'birth-grant', source: 'national-register', fields: ['birthDate'],
        purpose: titles('To know whether the child was born in time', 'Om te weten of het kind op tijd geboren is'), legal_basis: { type: 'law', reference: 'Decreet Groeipakket art. 8' }, outcome: 'granted',
      },
    ],
    deliveries: [
      { id: 'n1', category: 'decision.made', created_at: at(2, 12), delivery_id: 'd1', channel: 'email', status: 'delivered', sent_at: at(2, 12), subject: 'Decision on your birth grant' },
      { id: 'n1', category: 'decision.made', created_at: at(2, 12), delivery_id: 'd2', channel: 'ecounter', status: 'delivered', sent_at: at(2, 12), subject: null },
      { id: 'n2', category: 'journey.completed', created_at: at(5), delivery_id: null, channel: 'email', status: 'queued', sent_at: null, subject: null },
      { id: 'n3', category: 'task.reminder', created_at: at(5), delivery_id: 'd3', channel: 'sms', status: 'expired', sent_at: null, subject: null },
    ],
    documents: [{ id: 'doc1', node_key: 'birth-grant', doc_key: 'birth-certificate', content_type: 'application/pdf', size: 48213, file_name: 'akte.pdf', uploaded_at: at(2, 9) }],
    documentTitles: [{ node_key: 'birth-grant', documents: [{ key: 'birth-certificate', titles: titles('Birth certificate', 'Geboorteakte') }] }],
    ...over,
  };
}

describe('the dossier content model', () => {
  test('every section, in English', () => {
    const c = dossierContent(facts(), 'en');
    expect(c).toMatchObject({ format: DOSSIER_FORMAT, language: 'en', generatedAt: '2026-12-07T12:00:00.000Z', title: 'My file: Birth of a child', requestedBy: { code: 'representative', label: 'someone who represents you' } });
    expect(c.journey).toEqual({
      id: facts().journey.id,
      lifeEvent: { key: 'birth-of-a-child', version: 1, title: 'Birth of a child' },
      subject: { type: 'person', id: '26120100123' },
      status: { code: 'completed', label: 'Completed' },
      startedAt: '2026-12-01T10:00:00.000Z',
      endedAt: '2026-12-05T10:00:00.000Z',
      cancelReason: undefined,
    });
    // Steps: agency names (the code when it has none), status and outcome in words, the agency's data never.
    expect(c.steps.map((s) => [s.title, s.agency.name, s.status.label, s.dueAt, s.completedAt, s.outcome])).toEqual([
      ['Register the child', 'health-insurer', 'Done', '2026-12-03T10:00:00.000Z', '2026-12-02T10:00:00.000Z', { code: 'done', label: 'Carried out' }],
      ['Birth grant', 'Growth package', 'Done', undefined, '2026-12-02T11:00:00.000Z', { code: 'approved', label: 'Approved' }],
      ['Home visit', 'Growth package', 'Not needed', undefined, undefined, { code: 'note', label: '', comment: 'Not needed: the family moved' }],
    ]);
    expect(JSON.stringify(c)).not.toContain('secret');
    // The decision with its rule, explanation and the objection's outcome.
    expect(c.decisions).toEqual([
      {
        node: 'birth-grant', step: 'Birth grant', agency: { code: 'growth-package', name: 'Growth package' }, rule: { id: 'birth-grant', version: 2 },
        outcome: { code: 'grant', label: 'Granted' },
        decided: { outcome: { code: 'grant', label: 'Granted' }, at: '2026-12-02T11:00:00.000Z', explanation: 'Born on 2026-12-01 in Flanders: birth grant granted.' },
        override: undefined,
        objection: { status: { code: 'upheld', label: 'The decision stands' }, reason: 'The amount is too low', filedAt: '2026-12-03T10:00:00.000Z', closedAt: '2026-12-04T10:00:00.000Z', outcome: undefined, explanation: 'The amount is set by law.' },
        appeal: undefined,
      },
    ]);
    // The data used: field, source, purpose and legal basis of the step that used it.
    expect(c.dataUsed).toEqual([
      {
        step: 'Birth grant', node: 'birth-grant', source: { key: 'national-register', title: expect.any(String) }, field: { key: 'birthDate', title: expect.any(String) },
        origin: { code: 'source', label: 'From a government register' }, at: '2026-12-02T10:00:00.000Z',
        purpose: 'To know whether the child was born in time', legalBasis: { type: 'law', reference: 'Decreet Groeipakket art. 8', explanation: 'A law allows this: Decreet Groeipakket art. 8.' },
      },
    ]);
    // Who read it, when.
    expect(c.dataAccess.items).toEqual([
      expect.objectContaining({ at: '2026-12-02T10:00:00.000Z', who: { code: 'step', label: 'Growth package, for the step' }, step: 'Birth grant', purpose: 'To know whether the child was born in time', outcome: { code: 'granted', label: 'Read' } }),
    ]);
    expect(c.dataAccess.complete).toBe(true);
    // Messages: one per message, its channels to the reader and the subject line it went out with; one never sent is left out.
    expect(c.messages).toEqual([
      {
        id: 'n1', at: '2026-12-02T12:00:00.000Z', category: { code: 'decision.made', title: expect.any(String) }, subject: 'Decision on your birth grant',
        channels: [
          { code: 'email', label: 'E-mail', status: { code: 'delivered', label: 'delivered' }, sentAt: '2026-12-02T12:00:00.000Z' },
          { code: 'ecounter', label: 'E-counter', status: { code: 'delivered', label: 'delivered' }, sentAt: '2026-12-02T12:00:00.000Z' },
        ],
      },
    ]);
    // Documents listed, never their content.
    expect(c.documents).toEqual([{ key: 'birth-certificate', title: 'Birth certificate', name: 'akte.pdf', type: 'application/pdf', size: 48213, uploadedAt: '2026-12-02T09:00:00.000Z', step: 'Birth grant' }]);
  });

  test.each(LANGUAGES)('in %s: titles, statuses and explanations in that language', (lang: Language) => {
    const c = dossierContent(facts(), lang);
    const expected = { nl: ['Mijn dossier: Geboorte van een kind', 'Afgerond', 'Geboren op 2026-12-01'], fr: ['Mon dossier : Birth of a child (fr)', 'Terminé', 'Né le 2026-12-01'], de: ['Meine Akte: Birth of a child (de)', 'Abgeschlossen', 'Geboren am 2026-12-01'], en: ['My file: Birth of a child', 'Completed', 'Born on 2026-12-01'] }[lang];
    expect([c.title, c.journey.status.label]).toEqual(expected.slice(0, 2));
    expect(c.decisions[0].decided.explanation).toContain(expected[2]);
    // An explanation missing in the language falls back to Dutch.
    expect(c.decisions[0].objection!.explanation).toBe(lang === 'en' ? 'The amount is set by law.' : 'Het bedrag is wettelijk bepaald.');
  });

  test('a revised decision, an override, an appeal, a cut-off access log and empty sections', () => {
    const base = facts();
    const c = dossierContent(
      facts({
        decisions: [{ ...base.decisions[0], override_outcome: 'deny', override_reason: 'Born abroad', overridden_at: at(3), revised_outcome: 'grant' }],
        appeals: [{ node_key: 'birth-grant', reason: 'I disagree', filed_at: at(5), status: 'revised', verdict: 'grant', explanation: { nl: 'Toch toegekend.' }, decided_at: at(6) }],
        readsCutOff: true,
        deliveries: [],
        documents: [],
        fields: [],
      }),
      'nl',
    );
    expect(c.decisions[0].outcome).toEqual({ code: 'grant', label: 'Toegekend' });
    expect(c.decisions[0].override).toEqual({ outcome: { code: 'deny', label: 'Geweigerd' }, reason: 'Born abroad', at: '2026-12-03T10:00:00.000Z' });
    expect(c.decisions[0].appeal).toMatchObject({ status: { code: 'revised' }, outcome: { code: 'grant', label: 'Toegekend' }, explanation: 'Toch toegekend.' });
    expect(c.dataAccess.complete).toBe(false);
    expect([c.messages, c.documents, c.dataUsed]).toEqual([[], [], []]);
  });

  test('every text of the dossier exists in the four languages', () => {
    for (const key of TEXT_KEYS) expect(textRow(key).filter((s) => s.trim()).length).toBe(4);
  });
});

describe('the dossier PDF', () => {
  test('is tagged for screen readers, in the reader’s language, and says what the content model says', async () => {
    const c = dossierContent(facts(), 'fr');
    const pdf = await renderDossierPdf(c);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const catalog = pdfCatalog(pdf);
    expect(catalog.markInfo).toMatch(/\/Marked true/);
    expect(catalog.dict).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(catalog.dict).toContain('/Lang (fr)');
    const structure = [...catalog.objects.values()].map((o) => o.dict.match(/\/S \/(\w+)/)?.[1]).filter(Boolean);
    expect(new Set(structure)).toEqual(new Set(['Document', 'Sect', 'H1', 'H2', 'H3', 'H4', 'P', 'Table', 'TR', 'TH', 'TD']));
    // An embedded font, not one of the standard 14.
    expect([...catalog.objects.values()].some((o) => /\/FontFile2 \d+ 0 R/.test(o.dict))).toBe(true);
    const text = pdfText(pdf);
    expect(text).toContain('Mon dossier : Birth of a child (fr)');
    expect(text).toContain('Register the child (fr)');
    expect(text).toContain('Né le 2026-12-01 en Flandre : prime accordée.');
    expect(text).toContain('akte.pdf');
    expect(text).toContain('Page 1 sur');
  });
});
