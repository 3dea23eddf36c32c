import { Router, type Request, type Response } from 'express';
import { problem, sendProblem } from '../http/problem';
import type { Population } from '../population/population';
import { parseFields, project } from './fields';
import type { SourceRegisters } from './registers';

/** Each register: where its records live, how a key looks, and how it answers one. */
const REGISTERS: readonly { source: string; collection: string; key: RegExp; keyHint: string; lookup: (p: Population, id: string) => Record<string, unknown> | undefined }[] = [
  { source: 'national-register', collection: 'persons', key: /^\d{11}$/, keyHint: 'a national number: 11 digits', lookup: (p, id) => p.nationalRegisterRecord(id) },
  { source: 'enterprise-register', collection: 'enterprises', key: /^\d{10}$/, keyHint: 'an enterprise number: 10 digits', lookup: (p, id) => p.enterpriseRegisterRecord(id) },
  { source: 'address-register', collection: 'addresses', key: /^[\w-]{1,64}$/, keyHint: 'an address id', lookup: (p, id) => p.addressRegisterRecord(id) },
];

/** Header values travel percent-encoded (UTF-8), since a purpose may hold any character. */
function header(req: Request, name: string): string | undefined {
  const raw = req.get(name)?.trim();
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const PURPOSE_HEADERS = 'X-Purpose and X-Legal-Basis (percent-encoded UTF-8)';

/**
 * The authentic sources as a MAGDA-like hub: `GET /sources/<source>/<collection>/<key>?fields=a,b`
 * with a bearer token and the reason for the read in headers; the answer holds only the named
 * fields, and every read is logged with who asked and why.
 */
export function sourceRoutes(population: Population, registers: SourceRegisters): Router {
  const router = Router();

  for (const register of REGISTERS) {
    router.get(`/sources/${register.source}/${register.collection}/:key`, async (req: Request, res: Response) => {
      const { source } = register;
      // Enterprise numbers are often written 0xxx.xxx.xxx.
      const key = source === 'enterprise-register' ? String(req.params.key).replace(/\./g, '') : String(req.params.key);
      if (req.get('authorization') !== `Bearer ${registers.token}`) {
        res.setHeader('www-authenticate', 'Bearer realm="sources"');
        return sendProblem(res, problem(401, 'unauthorized', `Reading ${source} needs Authorization: Bearer <the sources token> (SOURCES_TOKEN).`));
      }
      const purpose = header(req, 'x-purpose');
      const legalBasis = header(req, 'x-legal-basis');
      const requester = header(req, 'x-requester');
      const journeyId = header(req, 'x-journey-id');
      const parsed = parseFields(source, req.query.fields);
      const fields = parsed.ok ? parsed.fields : [];
      const answer = (status: number, body: unknown) => {
        registers.record({
          at: new Date().toISOString(),
          source,
          subject: key,
          fields,
          ...(purpose ? { purpose } : {}),
          ...(legalBasis ? { legalBasis } : {}),
          ...(requester ? { requester } : {}),
          ...(journeyId ? { journeyId } : {}),
          status,
        });
        if (status >= 400) return sendProblem(res, body as ReturnType<typeof problem>);
        res.json(body);
      };

      if (!parsed.ok) return answer(400, problem(400, 'unknown-field', parsed.detail, parsed.unknownFields ? { unknownFields: parsed.unknownFields } : {}));
      if (!purpose || !legalBasis) return answer(400, problem(400, 'purpose-required', `Every read states why: send ${PURPOSE_HEADERS}, and X-Requester.`));
      if (!register.key.test(key)) return answer(400, problem(400, 'bad-key', `The key in the path must be ${register.keyHint} (got "${key}").`));

      let failure: number | undefined;
      try {
        failure = await registers.behave(source);
      } catch {
        return; // the sandbox is closing
      }
      if (failure) {
        if (failure === 429) res.setHeader('retry-after', '1');
        return answer(failure, problem(failure, 'injected-failure', `${source} is ${failure === 429 ? 'throttling reads' : 'unavailable'} (injected by PUT /_sandbox/sources/${source}/behaviour).`));
      }
      const record = register.lookup(population, key);
      if (!record) return answer(404, problem(404, 'record-not-found', `${source} holds no record ${key}.`));
      answer(200, { record: project(record, fields) });
    });
  }
  return router;
}
