import {
  isSubject,
  journeyAccess,
  letterPrintAccess,
  seesEveryDelivery,
  stepDataAsker,
  stepDataRead,
  taskClaimAccess,
  taskCompletionAccess,
  type TaskAccessFacts,
  type Viewer,
} from './access';

const PERSON = '85010100123';
const COMPANY = '0123456789';
const viewer = (roles: string[], over: Partial<Viewer> = {}): Viewer => ({ sub: `${roles[0]}-1`, roles, ...over });
const journey = { subjectId: PERSON, agencies: ['municipality'], lifeEvent: 'birth' };

describe('who a viewer is', () => {
  it('is the subject as the person or as the enterprise they log in for, nobody else', () => {
    expect(isSubject(viewer(['citizen'], { nationalNumber: PERSON }), PERSON)).toBe(true);
    expect(isSubject(viewer(['citizen'], { nationalNumber: PERSON, enterpriseNumber: COMPANY }), COMPANY)).toBe(true);
    expect(isSubject(viewer(['citizen'], { nationalNumber: PERSON }), COMPANY)).toBe(false);
    expect(isSubject(viewer(['citizen'], { enterpriseNumber: COMPANY }), PERSON)).toBe(false);
    expect(isSubject(viewer(['citizen']), PERSON)).toBe(false);
  });
});

describe('roles before facts', () => {
  it('does not let someone who is not a citizen in as the subject, even with the subject’s number', () => {
    expect(journeyAccess(viewer(['catalog-admin'], { nationalNumber: PERSON }), journey)).toEqual({ kind: 'deny' });
  });

  it('does not take an agency without the caseworker role for a caseworker of it', () => {
    const admin = viewer(['agency-admin'], { agency: 'municipality' });
    expect(journeyAccess(admin, journey)).toEqual({ kind: 'deny' });
    expect(seesEveryDelivery(admin, journey)).toBe(false);
  });
});

describe('what a refusal says', () => {
  const caseworkerTask: TaskAccessFacts = { assignee: 'caseworker', agency: 'municipality', subjectId: PERSON, lifeEvent: 'birth', status: 'claimed', claimedBy: 'cw-2' };

  it('claiming: only caseworkers (403), not a citizen task (409)', () => {
    expect(taskClaimAccess(viewer(['citizen'], { nationalNumber: PERSON }), caseworkerTask)).toEqual({
      kind: 'deny',
      refusal: { kind: 'forbidden', message: 'Only caseworkers claim, release and complete caseworker tasks.' },
    });
    expect(taskClaimAccess(viewer(['caseworker'], { agency: 'municipality' }), { assignee: 'citizen', agency: 'municipality' })).toEqual({
      kind: 'deny',
      refusal: { kind: 'conflict', message: 'This task is for the citizen; caseworkers cannot claim it.' },
    });
  });

  it('completing a claimed caseworker task: who asks is refused first (403), not told of the claim (409)', () => {
    expect(taskCompletionAccess(viewer(['citizen'], { nationalNumber: PERSON }), caseworkerTask)).toEqual({
      kind: 'deny',
      refusal: { kind: 'forbidden', message: 'Only caseworkers claim, release and complete caseworker tasks.' },
    });
    expect(taskCompletionAccess(viewer(['caseworker'], { agency: 'growth' }), caseworkerTask)).toEqual({
      kind: 'deny',
      refusal: { kind: 'forbidden', message: 'This task belongs to municipality.' },
    });
  });

  it("a step's data: who may ask at all, and another agency's caseworker with the logged attempt", () => {
    const refusal = { kind: 'forbidden', message: "Reading a step's data is for caseworkers of the step's agency." };
    expect(stepDataAsker(viewer(['auditor']))).toEqual(refusal);
    expect(stepDataAsker(viewer(['caseworker']))).toEqual(refusal);
    expect(stepDataAsker(viewer(['caseworker'], { agency: 'growth' }))).toBeUndefined();
    const read = stepDataRead(viewer(['caseworker'], { agency: 'growth' }), { nodeKey: 'register', agency: 'municipality', declared: ['name'] }, ['name']);
    expect(read).toEqual({
      outcome: 'other-agency',
      reason: "agency 'growth' is not the agency of step 'register' (municipality)",
      refusal: { kind: 'forbidden', message: "Only caseworkers of municipality read the data of step 'register'; you work for growth. This attempt was logged." },
    });
  });

  it('marking a letter printed: an auditor is told they only read', () => {
    expect(letterPrintAccess(viewer(['auditor']), { agencies: ['municipality'] })).toEqual({
      kind: 'deny',
      refusal: { kind: 'forbidden', message: 'Auditors read letters; the print service marks them printed.' },
    });
    expect(letterPrintAccess(viewer(['auditor', 'print-service']), { agencies: ['municipality'] })).toEqual({ kind: 'allow', as: 'handler' });
    expect(letterPrintAccess(viewer(['auditor', 'caseworker'], { agency: 'municipality' }), { agencies: ['municipality'] })).toEqual({ kind: 'allow', as: 'handler' });
  });
});
