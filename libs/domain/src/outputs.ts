import { OUTPUT_TYPES, type OutputType, type StepOutput } from './model';
import { pointerSegment, type Problem } from './problem';

/**
 * An automatic step keeps only the fields of the agency's answer it declares (`outputs`), so an
 * agency endpoint cannot put anything else (a token, someone else's data) into a journey that
 * caseworkers and citizens read.
 */

export const OUTPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_OUTPUTS = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

/** Problems of a step's `outputs`, at `/outputs/...`. */
export function validateOutputs(outputs: unknown, kind: unknown): Problem[] {
  if (outputs === undefined) return [];
  if (kind !== 'automatic') return [{ path: '/outputs', message: `only automatic steps have outputs (the fields of the agency's answer they keep); a ${String(kind)} step must not declare them` }];
  if (!Array.isArray(outputs)) return [{ path: '/outputs', message: `outputs must be a list such as [{ "name": "enterpriseNumber", "type": "string" }] (got ${describe(outputs)})` }];
  const problems: Problem[] = [];
  if (outputs.length > MAX_OUTPUTS) problems.push({ path: '/outputs', message: `a step declares at most ${MAX_OUTPUTS} outputs (got ${outputs.length})` });
  const seen = new Map<string, number>();
  outputs.forEach((output: unknown, i) => {
    if (!isRecord(output)) {
      problems.push({ path: `/outputs/${i}`, message: `each output must be an object { "name": "…", "type"?: "${OUTPUT_TYPES.join('|')}" } (got ${describe(output)})` });
      return;
    }
    for (const key of Object.keys(output)) {
      if (key !== 'name' && key !== 'type') problems.push({ path: `/outputs/${i}/${pointerSegment(key)}`, message: `unknown field '${key}'; an output has a name and optionally a type` });
    }
    if (typeof output.name !== 'string' || !OUTPUT_NAME_PATTERN.test(output.name)) {
      problems.push({ path: `/outputs/${i}/name`, message: `the name ${describe(output.name)} is not valid: a top-level field name of the answer, letters, digits and underscores, starting with a letter (e.g. enterpriseNumber)` });
    } else if (seen.has(output.name)) {
      problems.push({ path: `/outputs/${i}/name`, message: `'${output.name}' is declared twice (also at /outputs/${seen.get(output.name)})` });
    } else seen.set(output.name, i);
    if (output.type !== undefined && !(OUTPUT_TYPES as readonly unknown[]).includes(output.type)) {
      problems.push({ path: `/outputs/${i}/type`, message: `type must be one of ${OUTPUT_TYPES.join(', ')} (got ${describe(output.type)})` });
    }
  });
  return problems;
}

const typeOf = (value: unknown): OutputType | 'null' => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as OutputType));

export interface KeptOutputs {
  data: Record<string, unknown>;
  /** Names of the answer's fields that were not declared (values never repeated). */
  dropped: string[];
  /** Declared fields whose value has another JSON type than declared. */
  mistyped: string[];
}

/** The declared fields of an answer; `outputs` undefined or empty keeps nothing. */
export function keepDeclaredOutputs(answer: Record<string, unknown>, outputs: StepOutput[] | undefined): KeptOutputs {
  const declared = new Map((outputs ?? []).map((o) => [o.name, o.type]));
  const kept: Array<[string, unknown]> = [];
  const dropped: string[] = [];
  const mistyped: string[] = [];
  for (const [name, value] of Object.entries(answer)) {
    if (!declared.has(name)) {
      dropped.push(name);
      continue;
    }
    const type = declared.get(name);
    if (type && value !== null && typeOf(value) !== type) mistyped.push(`${name} (a ${typeOf(value)}, declared ${type})`);
    else kept.push([name, value]);
  }
  // fromEntries defines own properties: a field named __proto__ stays a plain field.
  return { data: Object.fromEntries(kept), dropped, mistyped };
}
