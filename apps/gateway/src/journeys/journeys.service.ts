import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { appendAudit, appendAuditOnce, JourneyReadModel, type JourneyRow } from '@levensloop/persistence';
import { cancelJourneyUpdate, journeyWorkflowId, resolveAttentionUpdate, type JourneyInput } from '@levensloop/contracts/workflow';
import { isRoleReference, isSubject, type LifeEventSnapshot } from '@levensloop/domain';
import { EngineUnavailableError, journeyAtStart, journeyIdFor, JourneyLauncher, type JourneyLaunch, type StartedJourney } from '@levensloop/journeys';
import { conflict, forbidden, invalid, notFound, ProblemException } from '../common/problem';
import { hasRole, type Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.provider';
import { MandatesService, ownIds } from '../mandates/mandates.service';
import { AccessService } from '../access/access.service';
import type { ListJourneysQuery, StartJourneyDto } from './journey.dto';
import { decodeCursor, detailOf, encodeCursor, startedDetailOf, summaryOf } from './journey-view';
import { updateJourney } from './workflow-errors';
import { RoleStarts } from './role-start';

/** The journey workflow's id (tasks and decisions send their updates to it). */
export const workflowIdOf = journeyWorkflowId;
export type { JourneyRow } from '@levensloop/persistence';

/** How long a cancel waits for the workflow's projection before answering anyway. */
const PROJECTION_WAIT_MS = 10_000;
@Injectable()
export class JourneysService {
  constructor(
    private readonly db: DataSource,
    private readonly catalog: CatalogService,
    private readonly temporal: TemporalService,
    private readonly access: AccessService,
    private readonly readModel: JourneyReadModel,
    private readonly launcher: JourneyLauncher,
    private readonly mandates: MandatesService,
    private readonly roleStarts: RoleStarts,
  ) {}

  /**
   * Starts (or finds) the journey for an idempotency key through the journey launcher: Temporal's
   * workflow id makes the start idempotent, also when two requests race. It answers once Temporal
   * has accepted the start, with the journey as it starts (from the snapshot); the workflow's
   * first projection writes the read model shortly after, and a GET before that reads the
   * workflow's start (see `get`).
   */
  async start(principal: Principal, dto: StartJourneyDto, idempotencyKey: string | undefined) {
    if (!idempotencyKey || !/^[\x21-\x7e]{8,200}$/.test(idempotencyKey)) {
      throw new ProblemException(400, 'Send an Idempotency-Key header (8 to 200 visible ASCII characters, e.g. a UUID) so a retried request starts the journey only once.', { slug: 'idempotency-key-required' });
    }
    // A citizen starts for themselves, or for whom they hold a mandate to act in this life event (checked now, in its dates).
    const underMandate = hasRole(principal, 'citizen') && !hasRole(principal, 'caseworker', 'catalog-admin') && !isSubject(principal, dto.subject.id);
    if (underMandate) await this.requireActingMandate(principal, dto.subject.id, dto.lifeEvent.key, 'start');
    if (!hasRole(principal, 'citizen', 'caseworker', 'catalog-admin')) {
      throw forbidden('Starting a journey needs the role citizen, caseworker or catalog-admin.');
    }
    const onBehalf = startsOnBehalf(principal, dto.subject.id);
    if (onBehalf && !dto.reason?.trim()) {
      throw new ProblemException(400, 'Starting a journey for someone else needs a reason (at least 3 characters); it is audited.', {
        slug: 'invalid-request',
        title: 'Invalid request',
        errors: [{ path: '/reason', message: 'is required when a caseworker or catalog admin starts a journey for someone' }],
      });
    }
    const scopedKey = `${principal.sub}:${idempotencyKey}`;
    const journeyId = journeyIdFor(scopedKey);

    // One round trip asks both whether this key was used before and which version is published.
    const probe = await this.readModel.startProbe(journeyId, dto.lifeEvent.key, dto.lifeEvent.version ?? null);
    if (probe.replay) {
      const existing = await this.readModel.find(journeyId);
      if (existing) return { replayed: true, journey: await this.checkSameRequest(principal, existing, dto) };
    }
    const snapshot = await this.snapshotOf(dto.lifeEvent.key, dto.lifeEvent.version, probe.published);
    if (snapshot.audience === 'business' && dto.subject.type !== 'enterprise') {
      throw invalid(`Life event '${snapshot.key}' is for enterprises: the subject must be an enterprise.`, [{ path: '/subject/type', message: "must be 'enterprise'" }]);
    }
    if (onBehalf && !hasRole(principal, 'catalog-admin') && !(principal.agency && snapshot.nodes.some((n) => n.definition.agency === principal.agency))) {
      // A life event naming steps by role (the subject's municipality): the agency serving the subject may start it.
      const byRole = snapshot.nodes.some((n) => isRoleReference(n.step)) ? await this.roleStarts.check(principal, snapshot, dto.subject) : undefined;
      if (!byRole?.allowed) {
        throw forbidden(
          byRole?.reason ??
            (principal.agency
              ? `Your agency '${principal.agency}' has no step in life event '${snapshot.key}', so you cannot start it for someone; a caseworker of one of its agencies (${[...new Set(snapshot.nodes.map((n) => n.definition.agency))].join(', ')}) can.`
              : 'Your token names no agency: a caseworker starts journeys only for life events in which their agency has a step.'),
        );
      }
    }
    const spec: JourneyLaunch = {
      journeyId,
      idempotencyKey: scopedKey,
      snapshot,
      subject: { type: dto.subject.type, id: dto.subject.id },
      data: dto.data ?? {},
      startedBy: principal.sub,
    };
    const { input, existing } = await this.launcher.launch(spec).catch((err) => {
      if (err instanceof EngineUnavailableError) {
        // Nothing was started: the client retries with the same key and gets one journey.
        throw new ProblemException(503, `The journey engine is not reachable right now (${err.message}); retry with the same Idempotency-Key.`, { slug: 'engine-unavailable' });
      }
      throw err;
    });
    // A start for someone else is audited, once per journey.
    if (onBehalf) await auditStartOnBehalf(this.db, principal, spec, dto.reason!.trim());
    if (underMandate) await auditStartUnderMandate(this.db, principal, spec, dto.reason?.trim());
    // Another request with this key started it first (a retry, a race, or another body): compared with the workflow's own input.
    if (existing) return { replayed: true, journey: await this.checkSameStart(principal, existing, dto) };
    return { replayed: false, journey: startedDetailOf(journeyAtStart(input)) };
  }

  /**
   * Published versions never change, so their resolved snapshots are kept; which version is
   * published (a retirement, a newer version) is still asked of the database every time.
   */
  private readonly snapshots = new Map<string, LifeEventSnapshot>();

  /** The snapshot of the version found published (asked of the database by the caller). */
  private async snapshotOf(key: string, version: number | undefined, published: number | null): Promise<LifeEventSnapshot> {
    const cached = published !== null ? this.snapshots.get(`${key}@${published}`) : undefined;
    if (cached) return cached;
    try {
      const snapshot = await this.catalog.resolveSnapshot(key, version);
      if (this.snapshots.size >= 1000) this.snapshots.clear();
      this.snapshots.set(`${key}@${snapshot.version}`, snapshot);
      return snapshot;
    } catch (err) {
      const kind = (err as { kind?: string }).kind;
      if (kind === 'not_found') {
        throw invalid(`There is no published version${version ? ` ${version}` : ''} of life event '${key}'.`, [{ path: '/lifeEvent', message: 'must reference a published life event' }]);
      }
      throw err;
    }
  }

  /**
   * The same key with a different request is a client bug: say so rather than guess. The answer
   * is the journey as the caller may see it: who may not (a catalog admin) gets the summary only,
   * so a replayed start never reads a journey's progress.
   */
  private async checkSameRequest(principal: Principal, row: JourneyRow, dto: StartJourneyDto) {
    assertSameRequest(row, dto);
    const visible = await this.access.seesJourney(principal, { subjectId: row.subject_id, agencies: row.agencies, lifeEvent: row.life_event_key });
    return visible ? this.detailOf(row) : summaryOf(row);
  }

  /** The same check before the first projection, against the input the workflow was started with. */
  private async checkSameStart(principal: Principal, input: JourneyInput, dto: StartJourneyDto) {
    const started = journeyAtStart(input);
    assertSameRequest(started.row, dto);
    return (await this.sees(principal, started.row)) ? startedDetailOf(started) : summaryOf(started.row);
  }

  /**
   * A journey as the caller may see it. The read model has it once its first projection is in;
   * before that, the workflow's start input says what it is, with the same access decision on the
   * same facts. Lists stay eventually consistent.
   */
  async get(principal: Principal, journeyId: string) {
    const found = await this.visible(principal, journeyId);
    return found.started ? startedDetailOf(found.started) : this.detailOf(found.row);
  }

  /** The journey's row (or, before its first projection, its start) when the caller may see it; else the 404 of a journey that does not exist. */
  private async visible(principal: Principal, journeyId: string): Promise<{ row: JourneyRow; started?: StartedJourney }> {
    const row = await this.readModel.find(journeyId);
    if (row) {
      if (await this.sees(principal, row)) return { row };
    } else {
      const input = await this.access.startedInput(journeyId);
      const started = input && journeyAtStart(input);
      if (started && (await this.sees(principal, started.row))) return { row: started.row, started };
    }
    // The same answer whether it does not exist or is not yours: no probing of other people's journeys.
    throw notFound(`Journey ${journeyId}`);
  }

  private sees(principal: Principal, row: JourneyRow): Promise<boolean> {
    return this.access.seesJourney(principal, { subjectId: row.subject_id, agencies: row.agencies, lifeEvent: row.life_event_key });
  }

  private async detailOf(row: JourneyRow) {
    const { steps, events } = await this.readModel.stepsAndTimeline(row);
    return detailOf(row, steps, events);
  }

  /** Keyset pagination on (started_at, id): every page is one index range scan, however deep. */
  async list(principal: Principal, q: ListJourneysQuery) {
    let visible: { all: true } | { agency: string } | { subjectOrHolder: string[] };
    if (hasRole(principal, 'auditor')) visible = { all: true }; // catalog admins do not: reading personal data is the auditor's duty
    else if (hasRole(principal, 'caseworker') && principal.agency) visible = { agency: principal.agency };
    else if (hasRole(principal, 'citizen')) visible = { subjectOrHolder: ownIds(principal) };
    else throw forbidden('Listing journeys needs the role caseworker, citizen or auditor (catalog admins read no personal data).');
    const limit = q.limit ?? 50;
    const rows = await this.readModel.list({
      visible,
      lifeEvent: q.lifeEvent,
      status: q.status,
      agency: q.agency,
      subject: q.subject,
      needsAttention: q.needsAttention,
      overdue: q.overdue,
      ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => summaryOf(r)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.started_at, last.id) : undefined,
    };
  }

  async cancel(principal: Principal, journeyId: string, reason: string) {
    const row = await this.requireActionable(principal, journeyId);
    const underMandate = !hasRole(principal, 'caseworker') && hasRole(principal, 'citizen') && !isSubject(principal, row.subject_id);
    if (underMandate) await this.requireActingMandate(principal, row.subject_id, row.life_event_key, 'cancel');
    else if (!hasRole(principal, 'caseworker') && !(hasRole(principal, 'citizen') && isSubject(principal, row.subject_id))) {
      throw forbidden('Only a caseworker of an involved agency, the subject or a holder of their mandate to act may cancel this journey.');
    }
    if (row.status === 'completed' || row.status === 'cancelled') throw conflict(`The journey is already ${row.status}.`);
    if (row.status === 'compensating') throw conflict('The journey is already cancelled: what its steps did is being undone.');
    await updateJourney(this.temporal.client, journeyWorkflowId(journeyId), cancelJourneyUpdate, { reason, by: principal.sub });
    // The workflow projects the cancellation; the audit says what was done, and the answer shows it.
    await Promise.all([
      auditJourneyAction(this.db, principal, 'journey.cancelled', 'journey', journeyId, { reason, ...(underMandate ? { onBehalfOf: { type: row.subject_type, id: row.subject_id }, underMandate: true } : {}) }),
      // Compensating: cancelled, its completed steps being undone (that may take a while).
      this.readModel.waitFor(journeyId, (r) => r.status === 'cancelled' || r.status === 'compensating', PROJECTION_WAIT_MS),
    ]);
    return this.get(principal, journeyId);
  }

  async resolveAttention(principal: Principal, journeyId: string, nodeKey: string, action: 'retry' | 'skip', reason?: string) {
    const journey = await this.visible(principal, journeyId);
    // Before the first projection the steps are those the journey started with.
    const step = journey.started ? journey.started.steps.find((s) => s.key === nodeKey) : await this.readModel.stepOf(journeyId, nodeKey);
    if (!step) throw notFound(`Step '${nodeKey}' of journey ${journeyId}`);
    if (!(hasRole(principal, 'caseworker') && principal.agency === step.agency)) {
      throw forbidden(`Only a caseworker of ${step.agency} may ${action} this step.`);
    }
    await updateJourney(this.temporal.client, journeyWorkflowId(journeyId), resolveAttentionUpdate, { nodeKey, action, by: principal.sub, ...(reason ? { reason } : {}) });
    // After the workflow accepted it: the audit says what was done, not what was asked.
    // A compensation that needs attention is retried or given up through the same action.
    const undoing = journey.row.status === 'compensating';
    const audited = undoing ? (action === 'retry' ? 'step.compensation_retried' : 'step.compensation_given_up') : action === 'retry' ? 'step.retried' : 'step.skipped';
    await auditJourneyAction(this.db, principal, audited, 'journey_step', `${journeyId}/${nodeKey}`, { reason: reason ?? null });
    return this.get(principal, journeyId);
  }

  /** A citizen acting for someone else: a mandate to act in this life event, now; 403 that says why not (none, or one to read only). */
  private async requireActingMandate(principal: Principal, subjectId: string, lifeEvent: string, what: 'start' | 'cancel') {
    if (await this.mandates.mayActFor(principal, subjectId, { lifeEvent, access: 'act' })) return;
    if (await this.mandates.mayActFor(principal, subjectId, { lifeEvent, access: 'read' })) {
      throw forbidden(`Your mandate for ${subjectId} lets you read their journeys in life event '${lifeEvent}', not act: ask them for a mandate to act to ${what} one.`);
    }
    throw forbidden(
      what === 'start'
        ? `A citizen can start a journey only for themselves, or for someone whose mandate to act in life event '${lifeEvent}' they hold (accepted, and valid today); you hold none for ${subjectId}.`
        : `You hold no mandate to act for ${subjectId} in life event '${lifeEvent}' (accepted, and valid today), so you cannot cancel this journey.`,
    );
  }

  private async requireActionable(principal: Principal, journeyId: string): Promise<JourneyRow> {
    return (await this.visible(principal, journeyId)).row;
  }
}

/** The same key with a different request is a client bug: say so rather than guess. */
function assertSameRequest(row: JourneyRow, dto: StartJourneyDto) {
  const same =
    row.life_event_key === dto.lifeEvent.key &&
    (dto.lifeEvent.version === undefined || row.life_event_version === dto.lifeEvent.version) &&
    row.subject_type === dto.subject.type &&
    row.subject_id === dto.subject.id;
  if (!same) {
    throw new ProblemException(422, 'This Idempotency-Key was already used for a different journey request; use a new key for a new journey.', { slug: 'idempotency-key-reused' });
  }
}

/** Audits a caseworker's (or admin's, or subject's) action on a journey; the audit log is append-only. */
async function auditJourneyAction(db: DataSource, principal: Principal, action: string, targetType: string, targetId: string, detail: Record<string, unknown>) {
  await appendAudit(db, {
    actor: principal.sub,
    action,
    targetType,
    targetId,
    detail: { ...detail, roles: principal.roles, ...(principal.agency ? { agency: principal.agency } : {}) },
  });
}

/**
 * Whether a start is for someone else, with its rules (a reason, audited; a caseworker's agency in
 * the life event): a caseworker or catalog admin who is not starting for themselves as a citizen.
 */
function startsOnBehalf(p: Principal, subjectId: string): boolean {
  if (!hasRole(p, 'caseworker', 'catalog-admin')) return false;
  return !(hasRole(p, 'citizen') && isSubject(p, subjectId));
}

/** A start by a mandate holder, audited once per journey: on whose behalf, under a mandate. */
async function auditStartUnderMandate(db: DataSource, p: Principal, spec: JourneyLaunch, reason: string | undefined) {
  await auditStartFor(db, p, spec, {
    role: 'mandate-holder',
    holder: p.nationalNumber ?? p.enterpriseNumber ?? null,
    onBehalfOf: spec.subject,
    lifeEvent: { key: spec.snapshot.key, version: spec.snapshot.version },
    ...(reason ? { reason } : {}),
  });
}

async function auditStartOnBehalf(db: DataSource, p: Principal, spec: JourneyLaunch, reason: string) {
  await auditStartFor(db, p, spec, {
    role: hasRole(p, 'catalog-admin') ? 'catalog-admin' : 'caseworker',
    ...(p.agency ? { agency: p.agency } : {}),
    lifeEvent: { key: spec.snapshot.key, version: spec.snapshot.version },
    subject: spec.subject,
    reason,
  });
}

/** A journey started for someone else, audited once per journey (however often the start is asked for). */
async function auditStartFor(db: DataSource, p: Principal, spec: JourneyLaunch, detail: Record<string, unknown>) {
  await appendAuditOnce(db, { actor: p.sub, action: 'journey.started', targetType: 'journey', targetId: spec.journeyId, detail });
}
