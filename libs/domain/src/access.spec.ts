import {
  decisionInputAccess,
  decisionOverrideAccess,
  journeyAccess,
  letterPrintAccess,
  mayHandleLetter,
  mayReadLetter,
  mayReadLogs,
  printQueueScope,
  seesEveryDelivery,
  stepDataAsker,
  stepDataRead,
  taskClaimAccess,
  taskCompletionAccess,
  taskVisibility,
  TASK_ACT_REFUSAL,
  type TaskAccessFacts,
  type Viewer,
} from './access';

const CHILD = '24010100123';
const PARENT = '85010100123';
const viewer = (roles: string[], over: Partial<Viewer> = {}): Viewer => ({ sub: `${roles[0]}-1`, roles, ...over });
const auditor = viewer(['auditor']);
const caseworker = (agency: string, sub = 'cw-1') => viewer(['caseworker'], { agency, sub });
const citizen = (nationalNumber?: string) => viewer(['citizen'], nationalNumber ? { nationalNumber } : {});
const enterprise = viewer(['citizen'], { enterpriseNumber: '0123456789' });
const catalogAdmin = viewer(['catalog-admin']);
const printService = viewer(['print-service']);

const journey = { subjectId: CHILD, agencies: ['municipality', 'growth'], lifeEvent: 'birth' };

describe('journeyAccess', () => {
  it('allows auditors and caseworkers of an involved agency', () => {
    expect(journeyAccess(auditor, journey)).toEqual({ kind: 'allow', as: 'auditor' });
    expect(journeyAccess(caseworker('growth'), journey)).toEqual({ kind: 'allow', as: 'caseworker' });
  });

  it('allows the subject, as person or as enterprise', () => {
    expect(journeyAccess(citizen(CHILD), journey)).toEqual({ kind: 'allow', as: 'subject' });
    expect(journeyAccess(enterprise, { ...journey, subjectId: '0123456789' })).toEqual({ kind: 'allow', as: 'subject' });
  });

  it('asks for a read mandate covering the life event for any other citizen', () => {
    expect(journeyAccess(citizen(PARENT), journey)).toEqual({ kind: 'mandate', as: 'representative', need: { subjectId: CHILD, lifeEvent: 'birth', access: 'read' } });
  });

  it('denies caseworkers of other agencies, catalog admins, a citizen without ids and other roles', () => {
    expect(journeyAccess(caseworker('bank'), journey)).toEqual({ kind: 'deny' });
    expect(journeyAccess(viewer(['caseworker']), journey)).toEqual({ kind: 'deny' });
    expect(journeyAccess(catalogAdmin, journey)).toEqual({ kind: 'deny' });
    expect(journeyAccess(citizen(), journey)).toEqual({ kind: 'deny' });
    expect(journeyAccess(viewer(['source']), journey)).toEqual({ kind: 'deny' });
    expect(journeyAccess(printService, journey)).toEqual({ kind: 'deny' });
  });

  it('lets a caseworker of another agency who is also the subject in as subject', () => {
    expect(journeyAccess(viewer(['caseworker', 'citizen'], { agency: 'bank', nationalNumber: CHILD }), journey)).toEqual({ kind: 'allow', as: 'subject' });
  });
});

describe('seesEveryDelivery', () => {
  it('is for auditors and caseworkers of an involved agency only', () => {
    expect(seesEveryDelivery(auditor, journey)).toBe(true);
    expect(seesEveryDelivery(caseworker('municipality'), journey)).toBe(true);
    expect(seesEveryDelivery(caseworker('bank'), journey)).toBe(false);
    expect(seesEveryDelivery(citizen(CHILD), journey)).toBe(false);
    expect(seesEveryDelivery(viewer(['caseworker']), journey)).toBe(false);
  });
});

const caseworkerTask: TaskAccessFacts = { assignee: 'caseworker', agency: 'growth', subjectId: CHILD, lifeEvent: 'birth', status: 'open', claimedBy: null };
const citizenTask: TaskAccessFacts = { ...caseworkerTask, assignee: 'citizen' };

describe('taskVisibility', () => {
  it('shows a caseworker task to auditors and caseworkers of its agency only', () => {
    expect(taskVisibility(auditor, caseworkerTask)).toEqual({ kind: 'allow', as: 'auditor' });
    expect(taskVisibility(caseworker('growth'), caseworkerTask)).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(taskVisibility(caseworker('municipality'), caseworkerTask)).toEqual({ kind: 'deny' });
    expect(taskVisibility(citizen(CHILD), caseworkerTask)).toEqual({ kind: 'deny' });
  });

  it('shows a citizen task to the subject, and through a read mandate to others', () => {
    expect(taskVisibility(citizen(CHILD), citizenTask)).toEqual({ kind: 'allow', as: 'citizen' });
    expect(taskVisibility(citizen(PARENT), citizenTask)).toEqual({ kind: 'mandate', as: 'citizen', need: { subjectId: CHILD, lifeEvent: 'birth', access: 'read' } });
    expect(taskVisibility(caseworker('growth'), citizenTask)).toEqual({ kind: 'deny' });
    expect(taskVisibility(citizen(), citizenTask)).toEqual({ kind: 'deny' });
  });
});

describe('taskClaimAccess', () => {
  it('allows caseworkers of the agency, refusing others with 403 and citizen tasks with 409', () => {
    expect(taskClaimAccess(caseworker('growth'), caseworkerTask)).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(taskClaimAccess(citizen(CHILD), caseworkerTask)).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
    expect(taskClaimAccess(auditor, caseworkerTask)).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
    expect(taskClaimAccess(caseworker('growth'), citizenTask)).toMatchObject({ kind: 'deny', refusal: { kind: 'conflict' } });
    expect(taskClaimAccess(caseworker('bank'), caseworkerTask)).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: 'This task belongs to growth.' } });
  });

  it('checks who asks before the task: a citizen learns nothing of a citizen task by claiming it', () => {
    expect(taskClaimAccess(citizen(CHILD), citizenTask)).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
  });
});

describe('taskCompletionAccess', () => {
  it('lets the claimer or anyone of the agency complete an unclaimed caseworker task, not someone else once claimed', () => {
    expect(taskCompletionAccess(caseworker('growth'), caseworkerTask)).toEqual({ kind: 'allow', as: 'caseworker' });
    const claimed = { ...caseworkerTask, status: 'claimed', claimedBy: 'cw-1' };
    expect(taskCompletionAccess(caseworker('growth', 'cw-1'), claimed)).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(taskCompletionAccess(caseworker('growth', 'cw-2'), claimed)).toEqual({
      kind: 'deny',
      refusal: { kind: 'conflict', message: 'The task is claimed by cw-1; only they can complete it.' },
    });
    expect(taskCompletionAccess(caseworker('bank'), caseworkerTask)).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
  });

  it('lets the subject complete a citizen task and asks an acting mandate of anyone else', () => {
    expect(taskCompletionAccess(citizen(CHILD), citizenTask)).toEqual({ kind: 'allow', as: 'citizen' });
    expect(taskCompletionAccess(citizen(PARENT), citizenTask)).toEqual({
      kind: 'mandate',
      as: 'citizen',
      need: { subjectId: CHILD, lifeEvent: 'birth', access: 'act' },
      refusal: TASK_ACT_REFUSAL,
    });
  });

  it('refuses a citizen task to caseworkers, auditors and citizens without ids with 403', () => {
    expect(taskCompletionAccess(caseworker('growth'), citizenTask)).toEqual({ kind: 'deny', refusal: TASK_ACT_REFUSAL });
    expect(taskCompletionAccess(auditor, citizenTask)).toEqual({ kind: 'deny', refusal: TASK_ACT_REFUSAL });
    expect(taskCompletionAccess(citizen(), citizenTask)).toEqual({ kind: 'deny', refusal: TASK_ACT_REFUSAL });
  });
});

describe('decision inputs and overrides', () => {
  it('shows inputs to caseworkers of the deciding agency, auditors, the subject, and through a read mandate', () => {
    expect(decisionInputAccess(caseworker('growth'), journey, 'growth')).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(decisionInputAccess(auditor, journey, 'growth')).toEqual({ kind: 'allow', as: 'auditor' });
    expect(decisionInputAccess(citizen(CHILD), journey, 'growth')).toEqual({ kind: 'allow', as: 'citizen' });
    expect(decisionInputAccess(citizen(PARENT), journey, 'growth')).toEqual({ kind: 'mandate', as: 'citizen', need: { subjectId: CHILD, lifeEvent: 'birth', access: 'read' } });
  });

  it('withholds inputs from caseworkers of another agency (even one in the journey) and from catalog admins', () => {
    expect(decisionInputAccess(caseworker('municipality'), journey, 'growth')).toEqual({ kind: 'deny' });
    expect(decisionInputAccess(catalogAdmin, journey, 'growth')).toEqual({ kind: 'deny' });
  });

  it('lets only a caseworker of the deciding agency override', () => {
    expect(decisionOverrideAccess(caseworker('growth'), 'growth')).toEqual({ kind: 'allow', as: 'caseworker' });
    for (const v of [caseworker('municipality'), auditor, citizen(CHILD), catalogAdmin]) {
      expect(decisionOverrideAccess(v, 'growth')).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: 'Only a caseworker of growth, the deciding agency, may override this decision.' } });
    }
  });
});

describe('mayReadLogs', () => {
  it('is for auditors, not catalog admins (separation of duties)', () => {
    expect(mayReadLogs(auditor)).toBe(true);
    expect(mayReadLogs(catalogAdmin)).toBe(false);
    expect(mayReadLogs(caseworker('growth'))).toBe(false);
    expect(mayReadLogs(citizen(CHILD))).toBe(false);
  });
});

describe('stepDataRead (purpose limitation)', () => {
  const step = { nodeKey: 'check', agency: 'growth', declared: ['national-register/birthDate', 'national-register/address'] };

  it('allows a caseworker of the step agency to read declared fields', () => {
    expect(stepDataRead(caseworker('growth'), step, ['national-register/birthDate'])).toEqual({ outcome: 'allowed' });
  });

  it('refuses non-caseworkers (and caseworkers without an agency) before anything is logged', () => {
    expect(stepDataRead(citizen(CHILD), step, ['national-register/birthDate'])).toMatchObject({ outcome: 'not-a-caseworker', refusal: { kind: 'forbidden' } });
    expect(stepDataRead(auditor, step, ['national-register/birthDate'])).toMatchObject({ outcome: 'not-a-caseworker' });
    expect(stepDataRead(viewer(['caseworker']), step, ['national-register/birthDate'])).toMatchObject({ outcome: 'not-a-caseworker' });
  });

  it('lets only caseworkers of an agency ask at all', () => {
    expect(stepDataAsker(caseworker('bank'))).toBeUndefined();
    expect(stepDataAsker(viewer(['caseworker']))).toMatchObject({ kind: 'forbidden' });
    expect(stepDataAsker(auditor)).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses another agency with a reason to log', () => {
    expect(stepDataRead(caseworker('bank'), step, ['national-register/birthDate'])).toMatchObject({
      outcome: 'other-agency',
      reason: "agency 'bank' is not the agency of step 'check' (growth)",
      refusal: { kind: 'forbidden' },
    });
  });

  it('refuses undeclared fields, naming every one', () => {
    expect(stepDataRead(caseworker('growth'), step, ['national-register/birthDate', 'national-register/income', 'tax/income'])).toEqual({
      outcome: 'undeclared',
      reason: "not declared by step 'check': national-register/income, tax/income",
      undeclared: ['national-register/income', 'tax/income'],
    });
  });
});

describe('letters', () => {
  const letter = { agencies: ['municipality'], recipientId: PARENT };

  it('gives the print service and auditors the whole queue, caseworkers their agency, others nothing', () => {
    expect(printQueueScope(printService)).toEqual({ all: true });
    expect(printQueueScope(auditor)).toEqual({ all: true });
    expect(printQueueScope(caseworker('municipality'))).toEqual({ agency: 'municipality' });
    expect(printQueueScope(citizen(PARENT))).toBeUndefined();
    expect(printQueueScope(viewer(['caseworker']))).toBeUndefined();
  });

  it('lets handlers and the addressee read a letter, nobody else', () => {
    expect(mayHandleLetter(caseworker('municipality'), letter)).toBe(true);
    expect(mayHandleLetter(caseworker('bank'), letter)).toBe(false);
    expect(mayReadLetter(citizen(PARENT), letter)).toBe(true);
    expect(mayReadLetter(citizen(CHILD), letter)).toBe(false);
    expect(mayReadLetter(caseworker('bank'), letter)).toBe(false);
  });

  it('lets the print service and caseworkers mark printed; an auditor only reads', () => {
    expect(letterPrintAccess(printService, letter)).toEqual({ kind: 'allow', as: 'handler' });
    expect(letterPrintAccess(caseworker('municipality'), letter)).toEqual({ kind: 'allow', as: 'handler' });
    expect(letterPrintAccess(auditor, letter)).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
    expect(letterPrintAccess(viewer(['auditor', 'print-service']), letter)).toEqual({ kind: 'allow', as: 'handler' });
    expect(letterPrintAccess(caseworker('bank'), letter)).toEqual({ kind: 'deny' });
    expect(letterPrintAccess(citizen(PARENT), letter)).toEqual({ kind: 'deny' });
  });
});
