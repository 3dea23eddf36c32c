import { formatDate, journeyLink, renderMessage, templateAgency, templateValues, toDeliveryContext, type DeliveryContext } from './content';

const ctx = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
  category: 'decision.made',
  data: null,
  journeyId: 'j-1',
  journeyTitle: { nl: 'Geboorte', en: 'Birth' },
  stepTitle: null,
  agencyNames: null,
  taskDueAt: null,
  cancelReason: null,
  explanation: null,
  decisionOutcome: null,
  recipientName: null,
  subjectName: null,
  agency: null,
  ...over,
});

describe('the values a template may use', () => {
  it('with nothing known: a generic salutation per language, empty texts, the title in the language (Dutch when missing)', () => {
    expect(templateValues(ctx(), 'en', 'https://x/j-1')).toEqual({
      recipientName: 'citizen',
      subjectName: '',
      journeyTitle: 'Birth',
      dossierNumber: 'j-1',
      link: 'https://x/j-1',
      nextSteps: '',
      stepTitle: '',
      dueDate: '',
      what: '',
      outcome: '',
      explanation: '',
      agencyName: '',
      newExpectedDate: '',
      summary: '',
      reason: '',
    });
    expect(templateValues(ctx(), 'fr', 'l')).toMatchObject({ recipientName: 'Madame, Monsieur', journeyTitle: 'Geboorte' });
    expect(templateValues(ctx(), 'de', 'l').recipientName).toBe('Bürgerin, Bürger');
    expect(templateValues(ctx(), 'nl', 'l').recipientName).toBe('burger');
  });

  it('names, step, explanation and agency from the read model', () => {
    const v = templateValues(
      ctx({ recipientName: 'An', subjectName: 'Lien', stepTitle: { nl: 'Premie', en: 'Grant' }, explanation: { nl: 'Omdat', en: 'Because' }, agencyNames: { nl: 'Groeipakket', en: 'Growth package' } }),
      'en',
      'l',
    );
    expect(v).toMatchObject({ recipientName: 'An', subjectName: 'Lien', stepTitle: 'Grant', explanation: 'Because', agencyName: 'Growth package' });
  });

  it("the decision's outcome in words, the decision row before the notification's data; an unknown outcome as it is", () => {
    expect(templateValues(ctx({ decisionOutcome: 'grant' }), 'en', 'l').outcome).toBe('granted');
    expect(templateValues(ctx({ decisionOutcome: 'deny', data: { outcome: 'grant' } }), 'nl', 'l').outcome).toBe('geweigerd');
    expect(templateValues(ctx({ data: { outcome: 'refer' } }), 'fr', 'l').outcome).toBe('transmis à un agent');
    expect(templateValues(ctx({ data: { outcome: 'refer' } }), 'de', 'l').outcome).toBe('an einen Sachbearbeiter weitergeleitet');
    expect(templateValues(ctx({ data: { outcome: 7 } }), 'en', 'l').outcome).toBe('');
    expect(templateValues(ctx({ decisionOutcome: 'postponed' }), 'en', 'l').outcome).toBe('postponed');
  });

  it('dates in the reader’s language and Brussels time: the task’s due date first, else the one in the data', () => {
    const late = new Date('2027-02-28T23:30:00Z'); // already 1 March in Brussels
    expect(templateValues(ctx({ taskDueAt: late, data: { dueAt: '2027-06-01T00:00:00Z' } }), 'nl', 'l').dueDate).toBe('1 maart 2027');
    expect(templateValues(ctx({ data: { dueAt: '2027-06-01T10:00:00Z' } }), 'en', 'l').dueDate).toBe('1 June 2027');
    expect(templateValues(ctx({ data: { dueAt: 5 } }), 'en', 'l').dueDate).toBe('');
    expect(templateValues(ctx({ data: { newExpectedDate: '2027-04-02T10:00:00Z' } }), 'de', 'l').newExpectedDate).toBe('2. April 2027');
    expect(templateValues(ctx({ data: { newExpectedDate: 3 } }), 'de', 'l').newExpectedDate).toBe('');
    expect(formatDate('2027-01-15T12:00:00Z', 'fr')).toBe('15 janvier 2027');
  });

  it("the agency's name from the data when the read model has none; the cancel reason from the journey, else the data", () => {
    expect(templateValues(ctx({ data: { agency: 'bank' } }), 'en', 'l').agencyName).toBe('bank');
    expect(templateValues(ctx({ cancelReason: 'Moved abroad', data: { reason: 'other' } }), 'en', 'l').reason).toBe('Moved abroad');
    expect(templateValues(ctx({ data: { reason: 'Withdrawn' } }), 'en', 'l').reason).toBe('Withdrawn');
    expect(templateValues(ctx({ data: { reason: 1 } }), 'en', 'l').reason).toBe('');
  });
});

describe('a row as a delivery context', () => {
  it('maps every column and turns missing ones into null', () => {
    // A row of an older statement, without the newer columns.
    const row = { category: 'journey.started', journey_id: 'j-2', journey_title: { nl: 'T' } } as unknown as Parameters<typeof toDeliveryContext>[0];
    expect(toDeliveryContext(row)).toEqual({
      category: 'journey.started',
      data: null,
      journeyId: 'j-2',
      journeyTitle: { nl: 'T' },
      stepTitle: null,
      agencyNames: null,
      taskDueAt: null,
      cancelReason: null,
      explanation: null,
      decisionOutcome: null,
      recipientName: null,
      subjectName: null,
      agency: null,
    });
    const due = new Date();
    const full = { ...row, data: { a: 1 }, step_title: { nl: 'S' }, agency_names: { nl: 'A' }, task_due_at: due, cancel_reason: 'r', explanation: { nl: 'e' }, decision_outcome: 'grant', recipient_name: 'R', subject_name: 'S', agency: 'bank' };
    expect(toDeliveryContext(full)).toEqual({
      category: 'journey.started',
      data: { a: 1 },
      journeyId: 'j-2',
      journeyTitle: { nl: 'T' },
      stepTitle: { nl: 'S' },
      agencyNames: { nl: 'A' },
      taskDueAt: due,
      cancelReason: 'r',
      explanation: { nl: 'e' },
      decisionOutcome: 'grant',
      recipientName: 'R',
      subjectName: 'S',
      agency: 'bank',
    });
  });
});

describe('whose templates a message uses', () => {
  it("a step's message its agency's; a message about the whole journey (or an unknown category) no agency's", () => {
    expect(templateAgency('decision.made', 'bank')).toBe('bank');
    expect(templateAgency('decision.made', null)).toBeNull();
    expect(templateAgency('decision.made', undefined)).toBeNull();
    expect(templateAgency('journey.started', 'bank')).toBeNull();
    expect(templateAgency('no.such', 'bank')).toBeNull();
  });
});

describe('rendering a message', () => {
  it('renders subject, body and SMS of the default template for the category and language', () => {
    const m = renderMessage(undefined, ctx({ category: 'journey.cancelled', cancelReason: 'Moved abroad', recipientName: 'An' }), 'en', journeyLink('https://mijn.example', 'j-1'));
    expect(m.subject).toContain('Birth');
    expect(m.body).toContain('Moved abroad');
    expect(m.body).toContain('An');
    expect(m.sms).toContain('https://mijn.example/journeys/j-1');
  });
});
