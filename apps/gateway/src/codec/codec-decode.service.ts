import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import type { LevensloopConfig } from '@levensloop/config';
import type { Translations } from '@levensloop/domain';
import { CodecDisclosures, type CodecDisclosure } from '@levensloop/persistence';
import { CodecRequestError, isEncryptedPayload, parsePayloads, PayloadDecryptionError, summariseEncryption, toJsonPayload, type JsonPayload } from '@levensloop/temporal';
import { ProblemException } from '../common/problem';
import { CONFIG } from '../config.provider';
import { TemporalService } from '../temporal/temporal.provider';
import { disclosedBy, MAX_PURPOSE_LENGTH, readPurpose } from './disclosures';

/** Who asks for a decode, and what their request said besides its body. */
export interface DecodeCaller {
  /** The auditor's subject, or `temporal-ui` for the secret path. */
  actor: string;
  via: 'token' | 'secret-path';
  /** `X-Namespace` as sent (Temporal's Web UI and CLI send it). */
  namespace: string | string[] | undefined;
  /** `X-Purpose` as sent. */
  purpose: string | string[] | undefined;
}

/** The access log's source for a history read through the codec server (reading.ts gives it a title). */
export const TEMPORAL_HISTORY_SOURCE = 'temporal-history';
/** The purpose recorded for the development Web UI, which sends no headers of its own. */
export const WEB_UI_PURPOSE = 'development Web UI';
/** Reading a processing's history to supervise it: the controller's accountability and security duties. */
const LEGAL_BASIS = { type: 'law', reference: 'GDPR (EU) 2016/679, art. 5(2) and 32: supervision of the processing' };
const NAMESPACE = /^[A-Za-z0-9._-]{1,255}$/;

/** The citizen's log says in their language what happened, with the auditor's purpose as given. */
const accessPurpose = (purpose: string): Translations => ({
  nl: `Een auditor las het verloop van het dossier in het procesplatform. Reden: ${purpose}`,
  fr: `Un auditeur a consulté le déroulement du dossier dans la plateforme de traitement. Motif : ${purpose}`,
  de: `Ein Prüfer hat den Verlauf der Akte in der Prozessplattform eingesehen. Grund: ${purpose}`,
  en: `An auditor read the file's history in the process platform. Reason: ${purpose}`,
});

/**
 * A decode by the codec server discloses personal data (national numbers, typed values, answers
 * of agencies), so each one is logged before its answer leaves: an audit row per request (who,
 * how many payloads, how many encrypted and decrypted, under which keys, the namespace, the
 * purpose, decoded or refused and why; never a payload), and a data-access row per journey or
 * subject the decrypted payloads identify (once per reader, purpose and hour: a history is
 * decoded in many requests), which the citizen reads in their log. One statement per request. A
 * request whose logging fails is not answered.
 */
@Injectable()
export class CodecDecodeService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly disclosures: CodecDisclosures,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {}

  async decode(caller: DecodeCaller, body: unknown): Promise<{ payloads: JsonPayload[] }> {
    const namespaceHeader = Array.isArray(caller.namespace) ? caller.namespace[0] : caller.namespace;
    const namespace = namespaceHeader && NAMESPACE.test(namespaceHeader) ? namespaceHeader : null;
    const base = { caller, namespace };

    const stated = readPurpose(caller.purpose);
    // The development Web UI sends no headers of its own; its secret path stands for its purpose.
    const purpose = 'purpose' in stated ? stated.purpose : caller.via === 'secret-path' && stated.problem === 'missing' ? WEB_UI_PURPOSE : undefined;
    if (purpose === undefined) {
      const problem = `X-Purpose ${'problem' in stated ? stated.problem : 'missing'}`;
      await this.refused(base, null, countOf(body), 400, problem);
      throw new ProblemException(
        400,
        `State why you decode these payloads: send the header X-Purpose with the purpose (3 to ${MAX_PURPOSE_LENGTH} characters, percent-encoded beyond ASCII), ` +
          'e.g. "X-Purpose: complaint 2026-114 about a late decision"; with Temporal\'s CLI add --codec-header "X-Purpose=…". ' +
          `The purpose is kept with the decode in the audit log and shown to each citizen whose data it discloses (here: ${problem}).`,
        { slug: 'purpose-required', errors: [{ path: '/headers/x-purpose', message: problem }] },
      );
    }

    let payloads: Payload[];
    try {
      payloads = parsePayloads(body);
    } catch (err) {
      if (!(err instanceof CodecRequestError)) throw err;
      await this.refused(base, purpose, countOf(body), 400, err.message);
      throw new ProblemException(400, `The payloads cannot be decoded: ${err.message}.`, { slug: 'invalid-request' });
    }
    const summary = summariseEncryption(payloads);
    let decoded: Payload[];
    try {
      decoded = await this.temporal.codec.decode(payloads);
    } catch (err) {
      if (!(err instanceof PayloadDecryptionError)) throw err;
      await this.refused(base, purpose, summary, 422, err.message);
      throw new ProblemException(422, `The payloads cannot be decoded: ${err.message}.`, { slug: 'payload-not-decrypted' });
    }

    const disclosed = disclosedBy(decoded, payloads.map(isEncryptedPayload));
    // The Web UI and the CLI decode a history event by event: one row per reader, journey, purpose and hour in the citizen's log.
    const hour = new Date().toISOString().slice(0, 13);
    const key = (whose: string) => `${TEMPORAL_HISTORY_SOURCE}/${createHash('sha256').update([caller.actor, whose, purpose].join('\u0000')).digest('hex')}/${hour}`;
    const journeys = [...disclosed.journeys].map(([journeyId, subject]) => ({ journeyId, subject, accessKey: key(`journey:${journeyId}`) }));
    const subjects = disclosed.subjects.map((s) => ({ ...s, accessKey: key(`${s.type}:${s.id}`) }));
    await this.disclosures.record(
      this.entry(base, purpose, {
        outcome: 'decoded',
        status: 200,
        ...summary,
        decrypted: summary.encrypted,
        journeys: journeys.map((j) => j.journeyId),
        subjectsOutsideJourneys: disclosed.subjects.length,
      }, journeys, subjects),
    );
    return { payloads: decoded.map(toJsonPayload) };
  }

  /** A refused decode is audited too: nothing was disclosed, so no citizen's log gets a row. */
  private async refused(base: { caller: DecodeCaller; namespace: string | null }, purpose: string | null, counts: { payloads: number; encrypted?: number; keyIds?: string[] }, status: 400 | 422, reason: string) {
    await this.disclosures.record(
      this.entry(base, purpose, { outcome: 'refused', status, reason: reason.slice(0, 1000), encrypted: null, keyIds: [], ...counts, decrypted: 0 }, [], []),
    );
  }

  private entry(
    { caller, namespace }: { caller: DecodeCaller; namespace: string | null },
    purpose: string | null,
    detail: Record<string, unknown>,
    journeys: CodecDisclosure['journeys'],
    subjects: CodecDisclosure['subjects'],
  ): CodecDisclosure {
    return {
      audit: {
        actor: caller.actor,
        action: 'codec.decode',
        targetType: 'temporal-namespace',
        targetId: namespace ?? this.config.temporal.namespace,
        detail: { via: caller.via, namespace, purpose, ...detail },
      },
      journeys,
      subjects,
      access: { actor: caller.actor, source: TEMPORAL_HISTORY_SOURCE, purpose: accessPurpose(purpose ?? ''), legalBasis: LEGAL_BASIS, outcome: 'granted' },
    };
  }
}

/** How many payloads a body that did not parse held, as far as can be told. */
function countOf(body: unknown): { payloads: number } {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  return { payloads: Array.isArray(list) ? list.length : 0 };
}
