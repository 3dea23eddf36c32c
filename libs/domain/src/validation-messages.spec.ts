/**
 * The exact problems validation reports: each at its JSON pointer, with the message that tells the
 * agency or catalog admin what to fix (these texts reach them as problem+json).
 */
import type { LifeEventDefinition, ServiceStepDefinition } from './model';
import { validateLifeEvent, validateStepDefinition, validateTriggers, type StepResolver } from './validation';

const step = (over: Record<string, unknown> = {}): ServiceStepDefinition => ({ agency: 'agency', key: 'step-a', kind: 'citizen', titles: { nl: 'Stap', en: 'Step' }, serviceNorm: { target: 'P5D' }, ...over });
const automatic = (over: Record<string, unknown> = {}) => step({ kind: 'automatic', endpoint: 'https://agency.example/api', retry: { maximumAttempts: 3, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT1M' }, ...over });
const catalog: StepResolver = (ref) => {
  if (ref.key === 'missing') return undefined;
  const status = ref.key === 'draft' ? 'draft' : ref.key === 'retired' ? 'retired' : 'published';
  return { status, definition: step({ key: ref.key, ...(ref.key === 'bad-norm' ? { serviceNorm: { target: 'P-5D' } } : {}), ...(ref.key === 'bad-retry' ? { retry: { initialInterval: 'x', maximumInterval: 'PT1S' } } : {}) }) };
};
const le = (over: Record<string, unknown>): LifeEventDefinition => ({ key: 'life-event', audience: 'citizen', titles: { nl: 'G' }, nodes: [{ key: 'a', step: { agency: 'agency', key: 'step-a', version: 1 } }], ...over });
describe('validation messages', () => {
  it("a bad key, an unknown kind and titles that are no object", () => {
    expect(validateStepDefinition(step({ key: 'a', kind: 'x', titles: 7 }))).toEqual([
      { path: "/key", message: "the key 'a' is not valid: it must be 2 to 64 characters of lowercase kebab case: letters, digits and single dashes, starting with a letter (e.g. activate-vat)" },
      { path: "/kind", message: "kind must be one of automatic, caseworker, citizen, decision, appointment, payment (got 'x')" },
      { path: "/titles", message: "titles must be an object with a title per language, e.g. { \"nl\": \"…\", \"en\": \"…\" } (got number)" },
    ]);
  });

  it("titles: Dutch required, each a text of at most 200 characters, known languages only (pointer-escaped)", () => {
    expect(validateStepDefinition(step({ titles: { fr: 'x', en: '', de: 'd'.repeat(201), 'x/y': 'z' } }))).toEqual([
      { path: "/titles/nl", message: "a Dutch (nl) title is required" },
      { path: "/titles/en", message: "the en title must be a non-empty text of at most 200 characters" },
      { path: "/titles/de", message: "the de title must be a non-empty text of at most 200 characters" },
      { path: "/titles/x~1y", message: "unknown language 'x/y'; use nl, fr, de, en" },
    ]);
  });

  it("an automatic step needs an http(s) endpoint; durations must be positive", () => {
    expect(validateStepDefinition(automatic({ endpoint: 'ftp://a.example', serviceNorm: { target: 'P0D', warn: 5 } }))).toEqual([
      { path: "/endpoint", message: "an automatic step needs the http(s) URL of the agency endpoint, e.g. https://agency.example/api/steps/activate-vat (got 'ftp://a.example')" },
      { path: "/serviceNorm/target", message: "'P0D' is not a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M" },
      { path: "/serviceNorm/warn", message: "number is not a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M" },
    ]);
  });

  it("no credentials in the endpoint", () => {
    expect(validateStepDefinition(automatic({ endpoint: 'https://u:p@a.example' }))).toEqual([
      { path: "/endpoint", message: "do not put credentials in the endpoint URL; the engine authenticates to agencies by itself" },
    ]);
  });

  it("a decision step has no endpoint and needs a rule", () => {
    expect(validateStepDefinition(step({ kind: 'decision', endpoint: 'https://a.example', rule: undefined }))).toEqual([
      { path: "/endpoint", message: "a decision step is decided by its rule, not by a call: remove the endpoint" },
      { path: "/rule", message: "a decision step needs a rule: { \"id\", \"version\", \"branches\": [{ \"when\", \"outcome\", \"explanation\" }], \"otherwise\": { \"outcome\", \"explanation\" } }" },
    ]);
  });

  it("a task step has neither endpoint nor rule", () => {
    expect(validateStepDefinition(step({ kind: 'caseworker', endpoint: 'https://a.example', rule: {} }))).toEqual([
      { path: "/endpoint", message: "a caseworker step is a task, not a call: remove the endpoint" },
      { path: "/rule", message: "only decision steps have a rule; a caseworker step must not have one" },
    ]);
  });

  it("a service norm is required", () => {
    expect(validateStepDefinition(step({ serviceNorm: 'P1D' }))).toEqual([
      { path: "/serviceNorm", message: "a service norm is required: { \"target\": \"P5D\" }, optionally with \"warn\" and \"escalate\" durations" },
    ]);
  });

  it("the retry policy: attempts, a finite coefficient of at least 1, the maximum interval not below the initial one", () => {
    expect(validateStepDefinition(automatic({ retry: { maximumAttempts: 'x', initialInterval: 'PT1M', backoffCoefficient: Infinity, maximumInterval: 'PT30S' } }))).toEqual([
      { path: "/retry/maximumAttempts", message: "maximumAttempts must be a whole number from 1 to 100 (got 'x')" },
      { path: "/retry/backoffCoefficient", message: "backoffCoefficient must be a number of at least 1 (got number)" },
      { path: "/retry/maximumInterval", message: "maximumInterval (PT30S) must not be shorter than initialInterval (PT1M)" },
    ]);
  });

  it("only automatic steps are retried, with a policy object", () => {
    expect(validateStepDefinition(step({ retry: 'x' }))).toEqual([
      { path: "/retry", message: "only automatic steps are retried: remove the retry policy" },
      { path: "/retry", message: "retry must be { maximumAttempts, initialInterval, backoffCoefficient, maximumInterval }" },
    ]);
  });

  it("both retry intervals are required", () => {
    expect(validateStepDefinition(automatic({ retry: { initialInterval: undefined, maximumInterval: undefined, maximumAttempts: 1, backoffCoefficient: 1 } }))).toEqual([
      { path: "/retry/initialInterval", message: "a duration is required: a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M" },
      { path: "/retry/maximumInterval", message: "a duration is required: a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M" },
    ]);
  });

  it("the warning strictly before the escalation", () => {
    expect(validateStepDefinition(step({ serviceNorm: { target: 'P5D', warn: 'P3D', escalate: 'P3D' } }))).toEqual([
      { path: "/serviceNorm/warn", message: "the warning (P3D) must come before the escalation (P3D)" },
    ]);
  });

  it("a definition that is no object", () => {
    expect(validateStepDefinition([] as any)).toEqual([
      { path: "", message: "a service step definition must be an object" },
    ]);
  });

  it("a life event: key, audience, titles and a list of nodes", () => {
    expect(validateLifeEvent(le({ key: 'X', audience: 'all', titles: null, nodes: 'x' }), catalog)).toEqual([
      { path: "/key", message: "the key 'X' is not valid: it must be 2 to 64 characters of lowercase kebab case: letters, digits and single dashes, starting with a letter (e.g. activate-vat)" },
      { path: "/audience", message: "audience must be one of citizen, business (got 'all')" },
      { path: "/titles", message: "titles must be an object with a title per language, e.g. { \"nl\": \"…\", \"en\": \"…\" } (got null)" },
      { path: "/nodes", message: "nodes must be a list of steps: [{ \"key\": \"…\", \"step\": { \"agency\", \"key\", \"version\" }, \"dependsOn\": […] }]" },
    ]);
  });

  it("at least one step", () => {
    expect(validateLifeEvent(le({ nodes: [] }), catalog)).toEqual([
      { path: "/nodes", message: "a life event needs at least one step" },
    ]);
  });

  it("nodes: objects, node keys of one letter or more, unique; references to existing, published steps", () => {
    expect(validateLifeEvent(le({ nodes: [null, { key: 'B' }, { key: 'a', step: { agency: 'agency', key: 'missing', version: 1 } }, { key: 'a', step: { agency: 'agency', key: 'draft', version: 2 } }] }), catalog)).toEqual([
      { path: "/nodes/0", message: "each node must be an object with a key and a step reference" },
      { path: "/nodes/1/key", message: "the key 'B' is not valid: it must be 1 to 64 characters of lowercase kebab case: letters, digits and single dashes, starting with a letter (e.g. vat)" },
      { path: "/nodes/3/key", message: "duplicate step key 'a' (also used at /nodes/2); node keys must be unique" },
      { path: "/nodes/1/step", message: "step must reference a step version: { \"agency\": \"…\", \"key\": \"…\", \"version\": 1 }" },
      { path: "/nodes/2/step", message: "unknown step agency/missing version 1: register and publish it first, or fix the reference" },
      { path: "/nodes/3/step", message: "step agency/draft version 2 is draft: only published steps can be used; publish it or reference a published version" },
    ]);
  });

  it("retired steps, steps with invalid durations, and bad versions", () => {
    expect(validateLifeEvent(le({ nodes: [{ key: 'a', step: { agency: 'agency', key: 'retired', version: 1 } }, { key: 'b', step: { agency: 'agency', key: 'bad-norm', version: 3 } }, { key: 'c', step: { agency: 'agency', key: 'bad-retry', version: 1 } }, { key: 'd', step: { agency: 'agency', key: 'x', version: 0 } }] }), catalog)).toEqual([
      { path: "/nodes/0/step", message: "step agency/retired version 1 is retired: only published steps can be used; reference a published version" },
      { path: "/nodes/1/step", message: "step agency/bad-norm version 3 has an invalid duration at /serviceNorm/target: 'P-5D' is not a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M; publish a corrected version and reference it" },
      { path: "/nodes/2/step", message: "step agency/bad-retry version 1 has an invalid duration at /retry/initialInterval: 'x' is not a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M; publish a corrected version and reference it" },
      { path: "/nodes/3/step", message: "step must reference a step version: { \"agency\": \"…\", \"key\": \"…\", \"version\": 1 }" },
    ]);
  });

  it("dependsOn is a list of other node keys, each once; optional is a boolean; a condition reads only earlier steps", () => {
    expect(validateLifeEvent(le({ nodes: [{ key: 'a', step: { agency: 'agency', key: 'step-a', version: 1 } }, { key: 'b', step: { agency: 'agency', key: 'step-b', version: 1 }, dependsOn: 'a', optional: 'yes' }, { key: 'c', step: { agency: 'agency', key: 'step-c', version: 1 }, dependsOn: [1, 'a', 'a'], condition: { '==': [{ var: 'steps.c.status' }, 'x'] } }] }), catalog)).toEqual([
      { path: "/nodes/1/dependsOn", message: "dependsOn must be a list of node keys" },
      { path: "/nodes/1/optional", message: "optional must be true or false" },
      { path: "/nodes/2/dependsOn/0", message: "a dependency is the key of another node (got number)" },
      { path: "/nodes/2/dependsOn/2", message: "'a' is listed twice in dependsOn" },
      { path: "/nodes/2/condition", message: "the condition reads steps.c, the step it decides on; a condition can only read steps that come before it" },
    ]);
  });

  it("at most 200 steps", () => {
    expect(validateLifeEvent(le({ nodes: Array.from({ length: 201 }, (_, i) => ({ key: `n${i}`, step: { agency: 'agency', key: 'step-a', version: 1 } })) }), catalog).slice(0, 2)).toEqual([
      { path: "/nodes", message: "a life event has at most 200 steps (got 201); split it into several life events" },
    ]);
  });

  it("triggers are a list", () => {
    expect(validateTriggers('x')).toEqual([
      { path: "/triggers", message: "triggers must be a list: [{ \"eventType\": \"be.national-register.birth.registered\", \"subject\": { \"type\": \"person\", \"path\": \"child.nationalNumber\" } }]" },
    ]);
  });

  it("at most 20 triggers", () => {
    expect(validateTriggers(Array.from({ length: 21 }, (_, i) => ({ eventType: `a.b${i}`, subject: { type: 'person', path: 'p' } }))).slice(0, 1)).toEqual([
      { path: "/triggers", message: "a life event has at most 20 triggers" },
    ]);
  });

  it("a trigger: an object, a reverse-DNS event type once without a condition, a subject path of the audience's type", () => {
    expect(validateTriggers([null, { eventType: 'Bad', subject: null }, { eventType: 'a.b', subject: { type: 'person', path: 'p' } }, { eventType: 'a.b', subject: { type: 'enterprise', path: 'p' } }], 'citizen')).toEqual([
      { path: "/triggers/0", message: "a trigger is { \"eventType\", \"subject\": { \"type\", \"path\" }, \"condition\"?, \"data\"? }" },
      { path: "/triggers/1/eventType", message: "eventType must be a CloudEvents type in reverse-DNS style, e.g. be.national-register.birth.registered (got 'Bad')" },
      { path: "/triggers/1/subject", message: "subject says where the journey's subject is in the event data: { \"type\": \"person\" | \"enterprise\", \"path\": \"child.nationalNumber\" }" },
      { path: "/triggers/3/eventType", message: "'a.b' already starts this life event (trigger 2) without a condition" },
      { path: "/triggers/3/subject/type", message: "a citizen life event runs for a person, so its trigger's subject must be 'person' (got 'enterprise')" },
    ]);
  });

  it("a business life event runs for an enterprise", () => {
    expect(validateTriggers([{ eventType: 'a.b', subject: { type: 'person', path: 'p' } }], 'business')).toEqual([
      { path: "/triggers/0/subject/type", message: "a business life event runs for an enterprise, so its trigger's subject must be 'enterprise' (got 'person')" },
    ]);
  });

  it("mandate access and life events, data names and paths", () => {
    expect(validateTriggers([{ eventType: 'a.b', subject: { type: 'person', path: 'p' }, mandates: { path: 'parents', kind: 'parent', access: 'write', lifeEvents: [] }, data: { 'a.b': 5, 'ok': 'x..y' } }])).toEqual([
      { path: "/triggers/0/mandates/access", message: "access is 'act' (see and act, the default) or 'read' (see only) (got 'write')" },
      { path: "/triggers/0/mandates/lifeEvents", message: "lifeEvents lists the keys of the life events the mandate covers (1 to 50 life-event keys); leave it out for every life event" },
      { path: "/triggers/0/data/a.b", message: "'a.b' is not a valid data name (letters, digits, _ and -)" },
      { path: "/triggers/0/data/a.b", message: "the value must be a dotted path into the event data (got number)" },
      { path: "/triggers/0/data/ok", message: "the value must be a dotted path into the event data (got 'x..y')" },
    ]);
  });

  it("mandates and data of the wrong shape", () => {
    expect(validateTriggers([{ eventType: 'a.b', subject: { type: 'person', path: 'p' }, mandates: { path: 'parents', kind: 'P' }, data: 'x' }])).toEqual([
      { path: "/triggers/0/mandates", message: "mandates names who may act for the subject: { \"path\": \"parents\" (a list of national numbers in the event data), \"kind\": \"parent\" (2 to 32 characters of lowercase kebab case) }" },
      { path: "/triggers/0/data", message: "data maps journey data names to paths in the event data: { \"birthDate\": \"child.birthDate\" }" },
    ]);
  });

  it("the same event type may start a life event under several conditions", () => {
    expect(validateTriggers([{ eventType: 'a.b', subject: { type: 'person', path: 'p' }, condition: { '==': [1, 1] } }, { eventType: 'a.b', subject: { type: 'person', path: 'p' }, condition: { '==': [1, 2] } }, { eventType: 'a.b', subject: { type: 'person', path: 'p' } }])).toEqual([]);
  });
});
