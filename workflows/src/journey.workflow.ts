/**
 * The journey workflow: runs one life event for one subject as a graph of service steps.
 * Deterministic: all I/O happens in activities; the definition snapshot is pinned at start.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import {
  addDuration,
  durationToMs,
  initialStepStates,
  isJourneyFinished,
  journeyStatus,
  nextDueAt,
  planReadySteps,
  DEFAULT_RETRY,
  type DataRequirement,
  type LifeEventSnapshot,
  type StepState,
  type TimelineEvent,
  type TimelineType,
} from '@levensloop/domain';
import {
  cancelJourneyUpdate,
  completeTaskUpdate,
  journeyStateQuery,
  overrideDecisionUpdate,
  resolveAttentionUpdate,
  sourceEventSignal,
  SEARCH_ATTRIBUTES,
  journeyAgencies,
  journeyHeader,
  type CarriedJourneyState,
  type JourneyActivities,
  type JourneyInput,
  type JourneyLiveState,
  type JourneyProjection,
  type JourneyResult,
  type StepAnswers,
} from '@levensloop/contracts/workflow';

const TERMINAL = new Set(['completed', 'skipped', 'cancelled']);
/** Timeline events kept in workflow state after they are projected (for the live query). */
const TIMELINE_KEPT = 50;

/**
 * Projection into the read model runs as a local activity: a short, idempotent SQL transaction
 * in the worker, without the server round trips (and history events) of a regular activity.
 * It retries without limit while PostgreSQL is down, so the read model always catches up.
 */
const projection = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Preparing a step's data and deciding are short database and source reads: a source that is
 * down is retried for a while, then the step needs attention (a caseworker retries or skips).
 */
const engine = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 4, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function journeyWorkflow(input: JourneyInput): Promise<JourneyResult> {
  const { journeyId, snapshot, subject } = input;
  const nodes = new Map(snapshot.nodes.map((n) => [n.key, n]));
  const state: CarriedJourneyState = input.carried ?? {
    status: 'running',
    steps: initialStepStates(snapshot),
    timeline: [],
    nextEventSeq: 1,
    projectionSeq: 0,
    projectedEventSeq: 0,
  };
  const historyLimit = input.continueAsNewAfterEvents ?? 5000;
  // From revision 1 on, what patched() guarded below is simply the way (no marker events).
  const revised = (input.revision ?? 0) >= 1;
  // Journeys started before read-model changes rode along with agency calls keep the old way.
  const carryProjections = revised || patched('projection-rides-with-agency-calls');
  /** The last version the planner finished with; the projector waits for it (see the projector). */
  let planned = -1;
  let plannerOff = false;

  /** Bumped on every state change: wakes the planner and the projector. */
  let version = 0;
  let projectedVersion = input.carried ? 0 : -1;
  const attentionDecisions = new Map<string, 'retry' | 'skip'>();
  /** Steps whose data must be fetched again (a source event arrived), handled by the refresher. */
  const refreshes: string[] = [];
  const active = new Set<string>();
  let automaticInFlight = 0;
  const steps = new CancellationScope();

  const now = () => new Date().toISOString();
  const touch = () => {
    version++;
  };
  /** Steps changed since the last projection: only those rows are written. */
  const dirtySteps = new Set<string>();
  const markDirty = (key: string) => {
    dirtySteps.add(key);
    touch();
  };
  const record = (type: TimelineType, step?: string, detail?: Record<string, unknown>) => {
    const event: TimelineEvent = { seq: state.nextEventSeq++, at: now(), type };
    if (step) {
      event.step = step;
      dirtySteps.add(step);
    }
    if (detail) event.detail = detail;
    state.timeline.push(event);
    touch();
  };

  const liveState = (): JourneyLiveState => ({
    journeyId,
    lifeEvent: { key: snapshot.key, version: snapshot.version },
    status: state.status,
    steps: Object.values(state.steps),
    timeline: state.timeline.slice(-TIMELINE_KEPT),
    ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
  });

  const isOpen = () => state.status !== 'cancelled' && state.status !== 'completed';

  // --- messages -----------------------------------------------------------------------------
  setHandler(journeyStateQuery, liveState);

  setHandler(
    completeTaskUpdate,
    (task) => {
      const step = state.steps[task.nodeKey];
      if (task.purpose === 'consent' || task.purpose === 'data') {
        // The step's coroutine goes on preparing its data with these answers.
        const answers: StepAnswers = (state.answers ??= {})[task.nodeKey] ?? {};
        if (task.purpose === 'consent') answers.consents = { ...task.consents };
        else answers.provided = { ...answers.provided, ...task.values };
        answers.by = task.by;
        state.answers[task.nodeKey] = answers;
        step.status = 'running';
        delete step.waitingFor;
        record(task.purpose === 'consent' ? 'step.consent_answered' : 'step.data_provided', task.nodeKey, {
          by: task.by,
          fields: Object.keys(task.purpose === 'consent' ? task.consents ?? {} : task.values ?? {}),
        });
        return step;
      }
      if (step.kind === 'decision' && step.decision) {
        step.decision = { ...step.decision, outcome: task.outcome === 'approve' ? 'grant' : 'deny' };
      }
      delete step.waitingFor;
      step.status = 'completed';
      step.completedAt = now();
      step.outcome = {
        result: task.outcome === 'approve' ? 'approved' : 'rejected',
        by: task.by,
        ...(task.data ? { data: task.data } : {}),
        ...(task.comment ? { comment: task.comment } : {}),
      };
      record(task.outcome === 'approve' ? 'step.completed' : 'step.rejected', task.nodeKey, {
        by: task.by,
        ...(task.comment ? { comment: task.comment } : {}),
      });
      return step;
    },
    {
      validator: (task) => {
        const step = state.steps[task.nodeKey];
        if (!step) throw new Error(`Journey has no step '${task.nodeKey}'.`);
        const purpose = task.purpose ?? 'task';
        if (purpose === 'task' && step.kind === 'automatic') throw new Error(`Step '${task.nodeKey}' is automatic and has no task.`);
        if (step.status !== 'waiting' || (step.waitingFor ?? 'task') !== purpose) {
          const which = purpose === 'task' ? 'The task' : `The ${purpose} task`;
          throw new Error(`${which} of step '${task.nodeKey}' is not open (step is ${step.status}${step.waitingFor ? `, waiting for ${step.waitingFor}` : ''}).`);
        }
        if (purpose === 'consent') {
          const answers = task.consents ?? {};
          const asked = step.consentAsked ?? [];
          const unknown = Object.keys(answers).filter((f) => !asked.includes(f));
          const open = asked.filter((f) => typeof answers[f] !== 'boolean');
          if (unknown.length) throw new Error(`No consent was asked for ${unknown.join(', ')}.`);
          if (open.length) throw new Error(`Answer yes or no for every field: ${open.join(', ')}.`);
          return;
        }
        if (purpose === 'data') {
          const values = task.values ?? {};
          const asked = step.asked ?? [];
          const unknown = Object.keys(values).filter((f) => !asked.includes(f));
          const open = asked.filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
          if (unknown.length) throw new Error(`These fields were not asked: ${unknown.join(', ')}.`);
          if (open.length) throw new Error(`Give a value for every asked field: ${open.join(', ')}.`);
          return;
        }
        if (task.outcome !== 'approve' && task.outcome !== 'reject') {
          throw new Error(`Outcome must be 'approve' or 'reject'.`);
        }
      },
    },
  );

  setHandler(
    resolveAttentionUpdate,
    (decision) => {
      attentionDecisions.set(decision.nodeKey, decision.action);
      const step = state.steps[decision.nodeKey];
      record(decision.action === 'retry' ? 'step.retried' : 'step.skipped', decision.nodeKey, {
        by: decision.by,
        ...(decision.reason ? { reason: decision.reason } : {}),
      });
      return step;
    },
    {
      validator: (decision) => {
        const step = state.steps[decision.nodeKey];
        if (!step) throw new Error(`Journey has no step '${decision.nodeKey}'.`);
        if (step.status !== 'needs_attention' || attentionDecisions.has(decision.nodeKey)) {
          throw new Error(`Step '${decision.nodeKey}' does not need attention (it is ${step.status}).`);
        }
        if (decision.action === 'skip' && !decision.reason?.trim()) {
          throw new Error('Skipping a step needs a reason.');
        }
      },
    },
  );

  setHandler(
    cancelJourneyUpdate,
    (request) => {
      state.status = 'cancelled';
      state.cancelReason = request.reason;
      for (const step of Object.values(state.steps)) {
        if (!TERMINAL.has(step.status)) {
          step.status = 'cancelled';
          step.completedAt = now();
          dirtySteps.add(step.key);
        }
      }
      record('journey.cancelled', undefined, { by: request.by, reason: request.reason });
      steps.cancel();
      return state.status;
    },
    {
      validator: (request) => {
        if (!isOpen()) throw new Error(`Journey is already ${state.status}.`);
        if (!request.reason?.trim()) throw new Error('Cancelling a journey needs a reason.');
      },
    },
  );

  setHandler(
    overrideDecisionUpdate,
    (request) => {
      const step = state.steps[request.nodeKey];
      step.decision = { ...step.decision!, outcome: request.outcome, overridden: true };
      step.outcome = { ...step.outcome, result: request.outcome === 'grant' ? 'approved' : 'rejected', by: request.by, reason: request.reason };
      record('step.decision_overridden', request.nodeKey, { by: request.by, outcome: request.outcome, reason: request.reason });
      return step;
    },
    {
      validator: (request) => {
        const step = state.steps[request.nodeKey];
        if (!step) throw new Error(`Journey has no step '${request.nodeKey}'.`);
        if (step.kind !== 'decision' || !step.decision) throw new Error(`Step '${request.nodeKey}' has no decision to override.`);
        if (step.status !== 'completed') throw new Error(`The decision of step '${request.nodeKey}' is not final yet (step is ${step.status}).`);
        if (request.outcome !== 'grant' && request.outcome !== 'deny') throw new Error(`Outcome must be 'grant' or 'deny'.`);
        if (!request.reason?.trim()) throw new Error('Overriding a decision needs a reason.');
      },
    },
  );

  /** A source says a record changed: steps holding its data and not yet done fetch it again. */
  setHandler(sourceEventSignal, (notice) => {
    if (!isOpen()) return;
    const refreshed: string[] = [];
    for (const step of Object.values(state.steps)) {
      if (step.status === 'pending' || TERMINAL.has(step.status)) continue; // pending steps fetch when they start
      if (!(nodes.get(step.key)!.definition.dataRequirements ?? []).some((r) => r.source === notice.source)) continue;
      step.dataRound = (step.dataRound ?? 0) + 1;
      refreshed.push(step.key);
      // A step still preparing its data reads everything again on its next fetch.
      if (step.dataReady) refreshes.push(step.key);
      else step.staleData = true;
    }
    record('journey.source_event', undefined, { source: notice.source, type: notice.type, eventId: notice.eventId, refreshed });
  });

  // --- steps --------------------------------------------------------------------------------
  function startStep(step: StepState) {
    const norm = nodes.get(step.key)!.definition.serviceNorm;
    const startedAt = now();
    step.startedAt = startedAt;
    step.dueAt = addDuration(startedAt, norm.target);
    if (norm.warn) step.warnAt = addDuration(startedAt, norm.warn);
    if (norm.escalate) step.escalateAt = addDuration(startedAt, norm.escalate);
    const def = nodes.get(step.key)!.definition;
    // A human step's task opens once its data is prepared; until then it is running.
    const task = (step.kind === 'caseworker' || step.kind === 'citizen') && !def.dataRequirements?.length;
    step.status = task ? 'waiting' : 'running';
    record('step.started', step.key, { agency: step.agency, dueAt: step.dueAt });
    if (task) record('step.task_created', step.key, { assignee: step.kind });
  }

  /**
   * Runs an activity-backed phase of a step. After the activity's retries a failure makes the
   * step need attention, like a failing agency: a caseworker retries (the phase runs again) or
   * skips. Returns false when the step was skipped.
   */
  async function withAttention(step: StepState, phase: () => Promise<void>): Promise<boolean> {
    for (;;) {
      try {
        await phase();
        return true;
      } catch (err) {
        if (isCancellation(err)) throw err;
        step.status = 'needs_attention';
        step.error = describeFailure(err);
        record('step.needs_attention', step.key, { error: step.error });
      }
      await awaitAttention(step);
      if ((step.status as StepState['status']) !== 'running') return false;
    }
  }

  /**
   * Once-only: the step gets its declared fields from the sources; consent-based fields are
   * asked for consent first; what no source holds (or may not be fetched) is asked from the
   * citizen. Values stay in the database, never in this workflow's history.
   */
  async function prepareData(step: StepState) {
    const def = nodes.get(step.key)!.definition;
    const requirements: DataRequirement[] = def.dataRequirements!;
    for (;;) {
      step.status = 'running';
      delete step.error;
      markDirty(step.key);
      const answers = state.answers?.[step.key];
      const result = await engine.prepareStepData({
        journeyId,
        nodeKey: step.key,
        agency: step.agency,
        stepKey: def.key,
        subject,
        requirements,
        round: step.dataRound ?? 0,
        ...(step.staleData ? { refresh: true } : {}),
        ...(answers?.consents ? { consents: answers.consents } : {}),
        ...(answers?.provided ? { provided: answers.provided } : {}),
        ...(answers?.by ? { answeredBy: answers.by } : {}),
      });
      // Recorded now: a later round must not replay them over a withdrawal.
      if (answers?.consents) delete answers.consents;
      delete step.staleData;
      if (result.consentNeeded.length) {
        step.status = 'waiting';
        step.waitingFor = 'consent';
        step.consentAsked = result.consentNeeded;
        record('step.consent_requested', step.key, { fields: result.consentNeeded });
        await condition(() => step.waitingFor !== 'consent');
        continue;
      }
      if (result.missing.length) {
        step.status = 'waiting';
        step.waitingFor = 'data';
        step.asked = result.missing;
        record('step.data_requested', step.key, { fields: result.missing });
        await condition(() => step.waitingFor !== 'data');
        continue;
      }
      step.dataReady = true;
      delete step.consentAsked;
      record('step.data_prefilled', step.key, { prefilled: result.prefilled, asked: step.asked ?? [] });
      return;
    }
  }

  /** A decision step: the engine evaluates the rule; a referral waits for a caseworker. */
  async function decide(step: StepState) {
    const def = nodes.get(step.key)!.definition;
    step.status = 'running';
    delete step.error;
    markDirty(step.key);
    const result = await engine.decide({
      journeyId,
      nodeKey: step.key,
      agency: step.agency,
      stepKey: def.key,
      stepVersion: def.version,
      subject,
      data: input.data,
      rule: def.rule!,
    });
    step.decision = { outcome: result.outcome, ruleId: def.rule!.id, ruleVersion: def.rule!.version };
    record('step.decided', step.key, { outcome: result.outcome, rule: def.rule!.id, ruleVersion: def.rule!.version });
    if (result.outcome === 'refer') {
      step.status = 'waiting';
      step.waitingFor = 'task';
      record('step.task_created', step.key, { assignee: 'caseworker' });
      return;
    }
    step.status = 'completed';
    step.completedAt = now();
    step.outcome = { result: result.outcome === 'grant' ? 'approved' : 'rejected', data: { decision: result.outcome } };
    markDirty(step.key);
  }

  /** Fetches again the data of steps a source event concerned (one at a time, in order). */
  async function refreshData() {
    for (;;) {
      await condition(() => refreshes.length > 0);
      const key = refreshes.shift()!;
      const step = state.steps[key];
      if (TERMINAL.has(step.status) || !step.dataReady) continue;
      const def = nodes.get(key)!.definition;
      try {
        const result = await engine.prepareStepData({
          journeyId,
          nodeKey: key,
          agency: step.agency,
          stepKey: def.key,
          subject,
          requirements: def.dataRequirements!,
          round: step.dataRound ?? 0,
          refresh: true,
        });
        record('step.data_prefilled', key, { prefilled: result.prefilled, refreshed: true });
      } catch (err) {
        if (isCancellation(err)) throw err;
        // The step keeps the data it has; the timeline says the refresh failed.
        record('step.data_prefilled', key, { refreshed: false, error: describeFailure(err) });
      }
    }
  }

  /** Service-norm timers: add "warning" and "escalated" events while the step is not done. */
  async function watchServiceNorm(step: StepState) {
    const alarms: Array<['warning' | 'escalated', string | undefined, boolean | undefined]> = [
      ['warning', step.warnAt, step.warned],
      ['escalated', step.escalateAt, step.escalated],
    ];
    for (const [kind, at, done] of alarms) {
      if (!at || done) continue;
      const wait = Date.parse(at) - Date.now();
      if (wait > 0) await sleep(wait);
      if (TERMINAL.has(step.status)) return;
      if (kind === 'warning') step.warned = true;
      else step.escalated = true;
      record(kind === 'warning' ? 'step.warning' : 'step.escalated', step.key, { dueAt: step.dueAt });
    }
  }

  async function callAgency(step: StepState) {
    const definition = nodes.get(step.key)!.definition;
    const retry = definition.retry ?? DEFAULT_RETRY;
    const agency = proxyActivities<JourneyActivities>({
      startToCloseTimeout: '30 seconds',
      retry: {
        maximumAttempts: retry.maximumAttempts,
        initialInterval: durationToMs(retry.initialInterval),
        backoffCoefficient: retry.backoffCoefficient,
        maximumInterval: durationToMs(retry.maximumInterval),
      },
    });
    automaticInFlight++;
    // The pending read-model changes (this step under way, and whatever led to it) ride along
    // with the agency call instead of costing a projection of their own.
    const carried = carryProjections && version !== projectedVersion ? takeProjection() : undefined;
    if (carried) carriedInFlight.add(carried);
    try {
      step.attempts++;
      const result = await agency.callAgency({
        journeyId,
        nodeKey: step.key,
        agency: step.agency,
        endpoint: definition.endpoint!,
        // The same key for every attempt and every retry: the agency does the work once.
        idempotencyKey: `${journeyId}/${step.key}`,
        subject,
        data: input.data,
        ...(definition.dataRequirements?.length ? { withFields: true } : {}),
        // The activity keeps only these fields of the answer (none when the step declares none).
        outputs: definition.outputs ?? [],
        ...(carried ? { projection: carried.projection } : {}),
      });
      if (carried) {
        carriedInFlight.delete(carried);
        if (result.projected === false) redoProjection(carried);
        else confirmProjection(carried);
      }
      step.status = 'completed';
      step.completedAt = now();
      step.outcome = { result: 'done', data: result.body, ...(result.dropped?.length ? { dropped: result.dropped } : {}) };
      delete step.error;
      record('step.completed', step.key, { status: result.status, ...(result.dropped?.length ? { dropped: result.dropped } : {}) });
    } catch (err) {
      if (carried) {
        carriedInFlight.delete(carried);
        redoProjection(carried);
      }
      throw err;
    } finally {
      automaticInFlight--;
    }
  }

  async function runAutomatic(step: StepState) {
    for (;;) {
      try {
        await callAgency(step);
        return;
      } catch (err) {
        if (isCancellation(err)) throw err;
        // After its retries a failing agency does not fail the journey: a caseworker decides.
        step.status = 'needs_attention';
        step.error = describeFailure(err);
        record('step.needs_attention', step.key, { error: step.error });
      }
      await awaitAttention(step);
      // awaitAttention changed the status (retry → running, skip → skipped).
      if ((step.status as StepState['status']) !== 'running') return;
    }
  }

  async function awaitAttention(step: StepState) {
    await condition(() => attentionDecisions.has(step.key));
    const action = attentionDecisions.get(step.key);
    attentionDecisions.delete(step.key);
    if (action === 'skip') {
      step.status = 'skipped';
      step.completedAt = now();
    } else {
      step.status = 'running';
    }
    markDirty(step.key);
  }

  async function runStep(key: string) {
    const step = state.steps[key];
    if (step.status === 'pending') startStep(step);
    // Timers only for steps with a warning or escalation still to come: every scope, timer and
    // promise costs workflow CPU (the SDK records a stack trace for each promise).
    const needed = (step.warnAt && !step.warned) || (step.escalateAt && !step.escalated);
    // Journeys started before this change always created the scope (replay-safe).
    const watch = revised || patched('norm-timers-only-when-needed') ? needed : true;
    const timers = watch ? new CancellationScope() : undefined;
    const norm = timers?.run(() => watchServiceNorm(step)).catch((err) => {
      if (!isCancellation(err)) throw err;
    });
    try {
      if (step.status === 'needs_attention') await awaitAttention(step);
      const definition = nodes.get(key)!.definition;
      const prepared = definition.dataRequirements?.length && !step.dataReady ? await withAttention(step, () => prepareData(step)) : true;
      if (!prepared) return;
      if (step.kind === 'automatic') {
        if (step.status === 'running') await runAutomatic(step);
      } else if (step.kind === 'decision') {
        if (!step.decision && !(await withAttention(step, () => decide(step)))) return;
        await condition(() => step.status !== 'waiting');
      } else {
        if (step.status === 'running') {
          // Back from preparing its data (or a retry): the task opens now.
          step.status = 'waiting';
          step.waitingFor = 'task';
          record('step.task_created', step.key, { assignee: step.kind });
        }
        await condition(() => step.status !== 'waiting');
      }
    } finally {
      if (timers) {
        timers.cancel();
        await norm;
      }
      active.delete(key);
      touch();
    }
  }

  function launch(key: string) {
    active.add(key);
    steps
      .run(() => runStep(key))
      .catch((err) => {
        if (!isCancellation(err)) throw err;
      });
  }

  // --- projection into the read model --------------------------------------------------------
  /**
   * The next due date goes to visibility at minute precision: every upsert is a visibility write
   * on the server, and steps that follow each other within a minute need not cause one each.
   */
  const dueToTheMinute = () => {
    const due = nextDueAt(state.steps);
    return due ? `${due.slice(0, 16)}:00.000Z` : '';
  };
  function updateSearchAttributes(due: string) {
    upsertSearchAttributes({
      [SEARCH_ATTRIBUTES.status.name]: [state.status],
      [SEARCH_ATTRIBUTES.nextDue.name]: due ? [new Date(due)] : [],
    });
  }

  // A journey of revision 1 or later was started with its status in visibility (see contracts).
  let lastStatusForAttributes = revised && !input.carried ? 'running' : '';
  let lastDueForAttributes = '';

  /** A projection handed out, with what to redo should it not reach the read model. */
  interface TakenProjection {
    projection: JourneyProjection;
    steps: string[];
    firstEventSeq?: number;
    lastEventSeq?: number;
    header: boolean;
  }

  /**
   * Projections riding with agency calls that have not reached the read model yet. The projector's
   * own (local) projection sends their steps again as they are now: a local activity may arrive
   * before a queued agency call, and the read model must never show a later step's state (a task
   * opened) before the earlier step's that led to it (completed). Step rows keep the newest seq, so
   * the carried copy arriving afterwards changes nothing.
   */
  const carriedInFlight = new Set<TakenProjection>();

  /** Builds the projection of everything changed since the last one (and `resend`), and marks it as sent. */
  function takeProjection(resend: Iterable<TakenProjection> = []): TakenProjection {
    for (const taken of resend) for (const key of taken.steps) dirtySteps.add(key);
    projectedVersion = version;
    const status = state.status;
    const due = nextDueAt(state.steps) ?? '';
    // Journeys started before this change keep exact due dates in visibility (replay-safe).
    const dueMinute = revised || patched('due-date-to-the-minute') ? dueToTheMinute() : due;
    if (status !== lastStatusForAttributes || dueMinute !== lastDueForAttributes) {
      lastStatusForAttributes = status;
      lastDueForAttributes = dueMinute;
      updateSearchAttributes(dueMinute);
    }
    const events = state.timeline.filter((e) => e.seq > state.projectedEventSeq);
    const seq = ++state.projectionSeq;
    // Until the read model has the journey, every projection carries the header and every step
    // (it may have to create the rows); afterwards only what changed.
    const header = !state.headerConfirmed;
    const changed = header ? Object.values(state.steps) : [...dirtySteps].map((key) => state.steps[key]);
    dirtySteps.clear();
    if (events.length) state.projectedEventSeq = events[events.length - 1].seq;
    return {
      steps: changed.map((step) => step.key),
      firstEventSeq: events[0]?.seq,
      lastEventSeq: events[events.length - 1]?.seq,
      header,
      projection: {
        journeyId,
        seq,
        status,
        ...(due ? { nextDueAt: due } : {}),
        ...(status === 'completed' || status === 'cancelled' ? { completedAt: now() } : {}),
        ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
        steps: changed,
        events,
        subject,
        ...(header ? { header: journeyHeader(input) } : {}),
        titles: Object.fromEntries(changed.map((step) => [step.key, nodes.get(step.key)!.definition.titles])),
      },
    };
  }

  /** The read model has it: the timeline may forget those events (it keeps the last few). */
  function confirmProjection(taken: TakenProjection) {
    if (taken.header) state.headerConfirmed = true;
    if (taken.lastEventSeq !== undefined) state.confirmedEventSeq = Math.max(state.confirmedEventSeq ?? 0, taken.lastEventSeq);
    const confirmed = state.confirmedEventSeq ?? 0;
    if (state.timeline.length > TIMELINE_KEPT) {
      state.timeline = state.timeline.filter((e, i, all) => e.seq > confirmed || i >= all.length - TIMELINE_KEPT);
    }
  }

  /** It did not arrive: its steps and events go out again with the next projection. */
  function redoProjection(taken: TakenProjection) {
    for (const key of taken.steps) dirtySteps.add(key);
    if (taken.firstEventSeq !== undefined) state.projectedEventSeq = Math.min(state.projectedEventSeq, taken.firstEventSeq - 1);
    touch();
  }

  async function project() {
    const taken = takeProjection(carriedInFlight);
    await projection.projectJourney(taken.projection);
    confirmProjection(taken);
  }

  let projecting = false;
  let stopProjector = false;
  const projector = (async () => {
    for (;;) {
      // With projections riding along, wait until the planner has seen the latest change: the
      // agency calls it launches take the pending changes with them.
      await condition(() => stopProjector || (version !== projectedVersion && (!carryProjections || plannerOff || planned === version)));
      if (version === projectedVersion) {
        // Nothing left to project: either we are asked to stop, or an agency call took the changes.
        if (stopProjector) return;
        continue;
      }
      projecting = true;
      try {
        await project();
      } finally {
        projecting = false;
      }
    }
  })();

  // --- the planner --------------------------------------------------------------------------
  if (!input.carried) {
    if (!revised) {
      // Before revision 1 the starter did not set them.
      upsertSearchAttributes({
        [SEARCH_ATTRIBUTES.lifeEvent.name]: [snapshot.key],
        [SEARCH_ATTRIBUTES.agencies.name]: journeyAgencies(snapshot),
        [SEARCH_ATTRIBUTES.subject.name]: [`${subject.type}:${subject.id}`],
      });
    }
    record('journey.started', undefined, { lifeEvent: snapshot.key, version: snapshot.version });
  }
  // Steps that were under way when the journey continued as new resume here.
  for (const step of Object.values(state.steps)) {
    if (!TERMINAL.has(step.status) && step.status !== 'pending') launch(step.key);
  }

  // The refresher runs only for journeys that get a source event (no extra promise otherwise).
  let refresher = false;
  let seenVersion = -1;
  while (isOpen()) {
    if (refreshes.length && !refresher) {
      refresher = true;
      steps.run(refreshData).catch((err) => {
        if (!isCancellation(err)) throw err;
      });
    }
    seenVersion = version;
    const context = { data: input.data, subject, steps: stepContext(state.steps) };
    const plan = planReadySteps(snapshot, state.steps, context);
    for (const { key, reason } of plan.skip) {
      const step = state.steps[key];
      step.status = 'skipped';
      step.completedAt = now();
      step.outcome = { reason };
      record('step.skipped', key, { reason });
    }
    for (const key of plan.start) if (!active.has(key)) launch(key);

    const newStatus = isJourneyFinished(state.steps) ? 'completed' : journeyStatus(state.steps);
    if (newStatus !== state.status) {
      state.status = newStatus;
      if (newStatus === 'completed') record('journey.completed');
      else if (newStatus === 'needs_attention') record('journey.needs_attention');
      else touch();
    }
    if (!isOpen()) break;
    if (plan.skip.length) continue;

    if (shouldContinueAsNew(historyLimit) && automaticInFlight === 0) {
      plannerOff = true;
      await condition(() => allHandlersFinished() && !projecting && version === projectedVersion);
      stopProjector = true;
      await projector;
      await continueAsNew<typeof journeyWorkflow>({ ...input, carried: state });
    }
    planned = version;
    await condition(() => version !== seenVersion);
  }

  // Let running handlers and the last projection finish before the journey closes.
  plannerOff = true;
  await condition(allHandlersFinished);
  await condition(() => version === projectedVersion && !projecting);
  stopProjector = true;
  await projector;
  return { journeyId, status: state.status, steps: state.steps };
}

function shouldContinueAsNew(limit: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > limit;
}

function stepContext(states: Record<string, StepState>) {
  return Object.fromEntries(
    Object.values(states).map((s) => [s.key, { status: s.status, outcome: s.outcome ?? null }]),
  );
}

function describeFailure(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}

export type { LifeEventSnapshot };
