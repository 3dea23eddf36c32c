import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { AgencyCallRefusedError, AgencyRejectedError, callAgencyEndpoint } from '@levensloop/agency-client';
import { CatalogService } from '@levensloop/catalog';
import { endpointHostProblem, keepDeclaredOutputs } from '@levensloop/domain';
import type { AgencyCallInput, AgencyCallResult } from '@levensloop/contracts/workflow';

/** How agency calls are guarded (the worker passes its config's `agencyCalls`). */
export interface AgencyCallPolicy {
  timeoutMs: number;
  maxResponseBytes?: number;
  /** `host:port` entries that may be reached although internal (AGENCY_ALLOWED_INTERNAL_HOSTS). */
  allowedInternalHosts?: readonly string[];
  /** One key per agency (AGENCY_SIGNING_KEYS). */
  signingKeys?: ReadonlyMap<string, Buffer>;
  /** How long an agency's endpoint hosts are kept (default 10 s). */
  hostsCacheMs?: number;
  /** The production profile: https only, and every call signed. */
  production?: boolean;
  /**
   * A call still under way after this long heartbeats (then every as long, the SDK throttling):
   * the server's cancellation (the journey cancelled) reaches a running activity only on a
   * heartbeat. Quick calls send none. Default 2000.
   */
  heartbeatAfterMs?: number;
}

/** The failure type of calls the engine refuses on its own rules: not retried, the step needs attention. */
export const AGENCY_CALL_REFUSED = 'AgencyCallRefused';

const refused = (message: string) => ApplicationFailure.nonRetryable(message, AGENCY_CALL_REFUSED);

/**
 * The running activity's cancellation signal: a worker shutting down cancels its activities after
 * `shutdownGraceTime`, and the server's cancellation reaches an activity on its heartbeat. Outside
 * an activity (a direct call), none.
 */
function activityCancellation(): AbortSignal | undefined {
  return activityContext()?.cancellationSignal;
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Heartbeats while `work` runs longer than `everyMs` (see `heartbeatAfterMs`); outside an activity, nothing. */
async function heartbeating<T>(work: Promise<T>, everyMs: number): Promise<T> {
  const context = activityContext();
  if (!context) return work;
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** An agency's endpoint hosts as the catalog has them now, kept for `ttlMs` (0: asked on every call). */
export function catalogEndpointHosts(dataSource: DataSource, ttlMs = 10_000): (agency: string) => Promise<string[]> {
  const catalog = new CatalogService(dataSource);
  const cache = ttlMs > 0 ? new LRUCache<string, string[]>({ max: 1000, ttl: ttlMs }) : undefined;
  return async (agency) => {
    const cached = cache?.get(agency);
    if (cached) return cached;
    const hosts = (await catalog.agencyEndpointHosts(agency)) ?? [];
    cache?.set(agency, hosts);
    return hosts;
  };
}

export interface AgencyCallerDeps {
  /** The hosts the agency's steps may call now (an unknown agency: none). */
  hostsOf: (agency: string) => Promise<string[]>;
  /** Where the names of dropped fields are logged; the activity logger by default. */
  warn?: (message: string, attributes: Record<string, unknown>) => void;
}

/**
 * One guarded call to an agency: the endpoint's host must be among the agency's endpoint hosts
 * as the catalog has them now (not only when the step was drafted), the call is signed with the
 * agency's key, and the step keeps only the outputs it declares.
 */
export function createAgencyCaller(deps: AgencyCallerDeps, policy: AgencyCallPolicy) {
  const warn = deps.warn ?? ((message: string, attributes: Record<string, unknown>) => log.warn(message, attributes));
  return async function callAgency(input: AgencyCallInput): Promise<AgencyCallResult> {
    const hostProblem = endpointHostProblem(input.agency, input.endpoint, await deps.hostsOf(input.agency));
    if (hostProblem) throw refused(`the call was not made: ${hostProblem}`);
    const signingKey = policy.signingKeys?.get(input.agency);
    if (!signingKey && policy.production) throw refused(`the call was not made: agency '${input.agency}' has no signing key (AGENCY_SIGNING_KEYS), and the production profile signs every call`);
    let result: AgencyCallResult;
    try {
      result = await heartbeating(
        callAgencyEndpoint(input, {
          timeoutMs: policy.timeoutMs,
          maxResponseBytes: policy.maxResponseBytes,
          allowedInternalHosts: policy.allowedInternalHosts,
          signingKey,
          requireHttps: policy.production,
          signal: activityCancellation(),
        }),
        policy.heartbeatAfterMs ?? 2000,
      );
    } catch (err) {
      if (err instanceof AgencyRejectedError) throw ApplicationFailure.nonRetryable(err.message, 'AgencyRejected', { status: err.status });
      if (err instanceof AgencyCallRefusedError) throw refused(err.message);
      throw err;
    }
    const kept = keepDeclaredOutputs(result.body, input.outputs);
    if (kept.mistyped.length) throw refused(`${input.agency} answered fields of another type than the step declares: ${kept.mistyped.join(', ')}`);
    if (kept.dropped.length) {
      // Names only: the values of undeclared fields are never kept or logged.
      warn('agency answer fields not declared as outputs were dropped', { agency: input.agency, step: input.nodeKey, dropped: kept.dropped });
    }
    return { ...result, body: kept.data, ...(kept.dropped.length ? { dropped: kept.dropped } : {}) };
  };
}
