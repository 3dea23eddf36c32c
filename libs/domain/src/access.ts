/**
 * Who may see and do what, as pure decisions over facts the caller loaded: a journey, a task, a
 * decision's inputs, a step's data, letters. A rule that depends on a mandate answers with the
 * mandate it needs; the caller asks the mandates (one query) and the answer decides.
 */
import type { MandateAccess } from './mandates';

/** Who asks (a verified principal has this shape). */
export interface Viewer {
  sub: string;
  roles: readonly string[];
  /** Caseworkers and agency admins: the agency they act for. */
  agency?: string;
  /** Citizens: the person or the enterprise they act as. */
  nationalNumber?: string;
  enterpriseNumber?: string;
  /** Caseworkers: the teams of their agency whose queues they work (none: only the agency's tasks of no team). */
  teams?: readonly string[];
}

/** A mandate the viewer must hold over `subjectId` (covering `lifeEvent` when given) for a rule to allow. */
export interface MandateNeed {
  subjectId: string;
  lifeEvent?: string;
  access: MandateAccess;
}

/** Why a request is refused when the caller may know the target exists: 403 (who asks) or 409 (its state). */
export interface Refusal {
  kind: 'forbidden' | 'conflict';
  message: string;
}

/**
 * `allow` as someone; `deny` (with a refusal to tell, else the target answers as not there);
 * `mandate`: allowed as `as` only if the viewer holds the mandate `need` names (else denied, with
 * `refusal` when there is one to tell).
 */
export type Access<As extends string = string> =
  | { kind: 'allow'; as: As }
  | { kind: 'deny'; refusal?: Refusal }
  | { kind: 'mandate'; as: As; need: MandateNeed; refusal?: Refusal };

const allow = <As extends string>(as: As): Access<As> => ({ kind: 'allow', as });
const deny = (refusal?: Refusal): { kind: 'deny'; refusal?: Refusal } => (refusal ? { kind: 'deny', refusal } : { kind: 'deny' });
const forbidden = (message: string): Refusal => ({ kind: 'forbidden', message });
const conflict = (message: string): Refusal => ({ kind: 'conflict', message });

export const hasAnyRole = (v: Pick<Viewer, 'roles'>, ...roles: string[]) => roles.some((r) => v.roles.includes(r));

/** The ids a viewer acts as: their national number, or the enterprise they log in for. */
export function viewerIds(v: Viewer): string[] {
  return [v.nationalNumber, v.enterpriseNumber].filter((id): id is string => !!id);
}

export function isSubject(v: Viewer, subjectId: string): boolean {
  return subjectId === v.nationalNumber || subjectId === v.enterpriseNumber;
}

/**
 * A citizen acting for a subject: as the subject themselves, or through a mandate covering the
 * need; anyone else (no citizen, or a citizen without ids) gets nothing.
 */
export function citizenFor<As extends string>(v: Viewer, subjectId: string, need: Omit<MandateNeed, 'subjectId'>, as: { self: As; mandate: As }): Access<As> {
  if (!hasAnyRole(v, 'citizen')) return deny();
  const ids = viewerIds(v);
  if (ids.includes(subjectId)) return allow(as.self);
  if (ids.length === 0) return deny();
  return { kind: 'mandate', as: as.mandate, need: { subjectId, ...need } };
}

/** The facts of a journey that decide who sees it. */
export interface JourneyAccessFacts {
  subjectId: string;
  agencies: string[];
  /** The journey's life event: a mandate limited to other life events does not reach it. */
  lifeEvent: string;
}

export type JourneyReader = 'auditor' | 'caseworker' | 'subject' | 'representative';

/**
 * Who may see a journey: auditors, caseworkers of an agency with a step in it, the subject, and
 * whoever holds a running mandate for them covering the journey's life event (read suffices).
 * Catalog admins administer the catalog and read no one's journeys (separation of duties).
 */
export function journeyAccess(v: Viewer, journey: JourneyAccessFacts): Access<JourneyReader> {
  if (hasAnyRole(v, 'auditor')) return allow('auditor');
  if (hasAnyRole(v, 'caseworker') && v.agency && journey.agencies.includes(v.agency)) return allow('caseworker');
  // A supervisor reads the journeys of their agency as its caseworkers do (to follow an escalated task).
  if (isSupervisorOf(v, journey.agencies)) return allow('caseworker');
  return citizenFor(v, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'read' }, { self: 'subject', mandate: 'representative' });
}

/** Auditors and caseworkers of an agency in the journey see every recipient's deliveries; others only their own. */
export function seesEveryDelivery(v: Viewer, journey: Pick<JourneyAccessFacts, 'agencies'>): boolean {
  if (hasAnyRole(v, 'auditor')) return true;
  return hasAnyRole(v, 'caseworker') && !!v.agency && journey.agencies.includes(v.agency);
}

/** The facts of a task that decide who sees and works it. */
export interface TaskAccessFacts {
  assignee: 'caseworker' | 'citizen';
  agency: string;
  subjectId: string;
  /** The journey's life event (absent: the journey is not in the read model). */
  lifeEvent?: string;
  status: string;
  claimedBy: string | null;
  /** The team queue the task is in (absent or null: the whole agency's). */
  team?: string | null;
}

/** A supervisor of one of these agencies (the agency in their token). */
export function isSupervisorOf(v: Viewer, agencies: readonly string[]): boolean {
  return hasAnyRole(v, 'supervisor') && !!v.agency && agencies.includes(v.agency);
}

/** Whether a caseworker task is in a queue the viewer works: no team, one of their teams, or held by them. */
export function inTeamQueue(v: Viewer, task: Pick<TaskAccessFacts, 'team' | 'claimedBy'>): boolean {
  return !task.team || (v.teams ?? []).includes(task.team) || task.claimedBy === v.sub;
}

/**
 * Who sees a task: auditors; a caseworker task, caseworkers of its agency; a citizen task, the
 * subject and whoever holds a running mandate for them in the journey's life event. Task ids are
 * guessable, so a task one may not see answers as one that does not exist (no refusal).
 */
export function taskVisibility(v: Viewer, task: TaskAccessFacts): Access<'auditor' | 'caseworker' | 'citizen'> {
  if (hasAnyRole(v, 'auditor')) return allow('auditor');
  if (task.assignee === 'caseworker') {
    if (hasAnyRole(v, 'caseworker') && v.agency === task.agency && inTeamQueue(v, task)) return allow('caseworker');
    return isSupervisorOf(v, [task.agency]) ? allow('caseworker') : deny();
  }
  return citizenFor(v, task.subjectId, { lifeEvent: task.lifeEvent, access: 'read' }, { self: 'citizen', mandate: 'citizen' });
}

/**
 * Claiming and releasing: caseworkers of the task's agency, of caseworker tasks. Who asks is
 * checked before what is asked: a non-caseworker learns nothing about the task's state.
 */
export function taskClaimAccess(v: Viewer, task: Pick<TaskAccessFacts, 'assignee' | 'agency'> & Partial<Pick<TaskAccessFacts, 'team' | 'claimedBy'>>): Access<'caseworker'> {
  if (!hasAnyRole(v, 'caseworker')) return deny(forbidden('Only caseworkers claim, release and complete caseworker tasks.'));
  if (task.assignee !== 'caseworker') return deny(conflict('This task is for the citizen; caseworkers cannot claim it.'));
  if (v.agency !== task.agency) return deny(forbidden(`This task belongs to ${task.agency}.`));
  if (!inTeamQueue(v, { team: task.team, claimedBy: task.claimedBy ?? null })) return deny(forbidden(`This task is in the queue of team ${task.team}, which you are not in; a supervisor can reassign it.`));
  return allow('caseworker');
}

/**
 * Reassigning: supervisors of the task's agency, of caseworker tasks (a caseworker does not move
 * work between colleagues). Who asks is checked before what is asked.
 */
export function taskReassignAccess(v: Viewer, task: Pick<TaskAccessFacts, 'assignee' | 'agency'>): Access<'supervisor'> {
  if (!hasAnyRole(v, 'supervisor')) return deny(forbidden('Only supervisors reassign tasks.'));
  if (v.agency !== task.agency) return deny(forbidden(`This task belongs to ${task.agency}; only its supervisors reassign it.`));
  if (task.assignee !== 'caseworker') return deny(conflict('This task is for the citizen; it cannot be reassigned.'));
  return allow('supervisor');
}

/** Said when a citizen who sees a task (through a read-only mandate, say) may not complete it. */
export const TASK_ACT_REFUSAL = forbidden(
  'Only the citizen the journey is about, or who holds a mandate to act for them in this life event, can complete this task; a read-only mandate does not.',
);

/**
 * Completing: a caseworker task by a caseworker of its agency, unless another claimed it; a
 * citizen task by the subject or whoever holds a mandate to act for them in the life event (one
 * who sees the task through a read-only mandate is refused). The task's own state (completed,
 * cancelled) is checked after this.
 */
export function taskCompletionAccess(v: Viewer, task: TaskAccessFacts): Access<'caseworker' | 'citizen'> {
  if (task.assignee === 'caseworker') {
    const claim = taskClaimAccess(v, task);
    if (claim.kind !== 'allow') return claim;
    if (task.status === 'claimed' && task.claimedBy !== v.sub) return deny(conflict(`The task is claimed by ${task.claimedBy}; only they can complete it.`));
    return claim;
  }
  const citizen = citizenFor(v, task.subjectId, { lifeEvent: task.lifeEvent, access: 'act' }, { self: 'citizen', mandate: 'citizen' });
  return citizen.kind === 'allow' ? citizen : { ...citizen, refusal: TASK_ACT_REFUSAL };
}

export type InputReader = 'caseworker' | 'citizen' | 'auditor';

/**
 * Who sees a decision's inputs (the register values it used), among those who see the journey:
 * caseworkers of the deciding agency, auditors, and the subject and their mandate holders.
 * Caseworkers of other agencies see the decision with its values withheld.
 */
export function decisionInputAccess(v: Viewer, journey: Pick<JourneyAccessFacts, 'subjectId' | 'lifeEvent'>, decidingAgency: string): Access<InputReader> {
  if (hasAnyRole(v, 'caseworker') && v.agency === decidingAgency) return allow('caseworker');
  if (hasAnyRole(v, 'auditor')) return allow('auditor');
  return citizenFor(v, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'read' }, { self: 'citizen', mandate: 'citizen' });
}

/** Only a caseworker of the deciding agency overrides a decision. */
export function decisionOverrideAccess(v: Viewer, decidingAgency: string): Access<'caseworker'> {
  if (hasAnyRole(v, 'caseworker') && v.agency === decidingAgency) return allow('caseworker');
  return deny(forbidden(`Only a caseworker of ${decidingAgency}, the deciding agency, may override this decision.`));
}

/** The logs (audit, the whole data-access log) are for auditors: catalog admins shape, they do not read. */
export function mayReadLogs(v: Viewer): boolean {
  return hasAnyRole(v, 'auditor');
}

/**
 * Purpose limitation of a caseworker's read of a step's data: only caseworkers of the step's
 * agency, only fields the step declared. `other-agency` and `undeclared` are refusals the caller
 * logs (with `reason`); `not-a-caseworker` is refused before anything is read or logged.
 */
export type StepDataRead =
  | { outcome: 'allowed' }
  | { outcome: 'not-a-caseworker'; refusal: Refusal }
  | { outcome: 'other-agency'; reason: string; refusal: Refusal }
  | { outcome: 'undeclared'; reason: string; undeclared: string[] };

/** Who may ask for a step's data at all (checked before the request is parsed): caseworkers of an agency. */
export function stepDataAsker(v: Viewer): Refusal | undefined {
  return hasAnyRole(v, 'caseworker') && v.agency ? undefined : forbidden("Reading a step's data is for caseworkers of the step's agency.");
}

export function stepDataRead(v: Viewer, step: { nodeKey: string; agency: string; declared: readonly string[] }, requested: readonly string[]): StepDataRead {
  const asker = stepDataAsker(v);
  if (asker) return { outcome: 'not-a-caseworker', refusal: asker };
  if (v.agency !== step.agency) {
    return {
      outcome: 'other-agency',
      reason: `agency '${v.agency}' is not the agency of step '${step.nodeKey}' (${step.agency})`,
      refusal: forbidden(`Only caseworkers of ${step.agency} read the data of step '${step.nodeKey}'; you work for ${v.agency}. This attempt was logged.`),
    };
  }
  const undeclared = requested.filter((id) => !step.declared.includes(id));
  if (undeclared.length) return { outcome: 'undeclared', reason: `not declared by step '${step.nodeKey}': ${undeclared.join(', ')}`, undeclared };
  return { outcome: 'allowed' };
}

/** Whose letters one handles in the print queue: every letter, those of journeys one's agency is in, or none. */
export function printQueueScope(v: Viewer): { all: true } | { agency: string } | undefined {
  if (hasAnyRole(v, 'print-service', 'auditor')) return { all: true };
  if (hasAnyRole(v, 'caseworker') && v.agency) return { agency: v.agency };
  return undefined;
}

/** The print service and auditors handle every letter; caseworkers those of journeys their agency is in. */
export function mayHandleLetter(v: Viewer, letter: { agencies: readonly string[] }): boolean {
  const scope = printQueueScope(v);
  return !!scope && ('all' in scope || letter.agencies.includes(scope.agency));
}

/** A letter's PDF: whoever handles it, and the person it is addressed to. */
export function mayReadLetter(v: Viewer, letter: { agencies: readonly string[]; recipientId: string }): boolean {
  return viewerIds(v).includes(letter.recipientId) || mayHandleLetter(v, letter);
}

/** Marking printed: whoever handles the letter, but an auditor only reads (unless also print service or caseworker). */
export function letterPrintAccess(v: Viewer, letter: { agencies: readonly string[] }): Access<'handler'> {
  if (!mayHandleLetter(v, letter)) return deny();
  if (hasAnyRole(v, 'auditor') && !hasAnyRole(v, 'print-service', 'caseworker')) return deny(forbidden('Auditors read letters; the print service marks them printed.'));
  return allow('handler');
}
