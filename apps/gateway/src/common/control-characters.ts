import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException, type FieldProblem } from './problem';

/** C0 controls, DEL and C1 controls: never in a parameter, a header value or a key. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** In JSON body strings tab, line feed and carriage return are text (template bodies, comments). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The request headers the gateway reads a value from. */
export const READ_HEADERS = ['idempotency-key', 'accept-language', 'if-none-match', 'x-signature', 'x-timestamp', 'x-report-id'] as const;

const pointer = (parent: string, key: string | number) => `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
const codePoint = (value: string, pattern: RegExp) => {
  const c = pattern.exec(value)![0].codePointAt(0)!;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** Every string of `value` (and every key) that holds a control character, with its JSON pointer; iterative, so deep nesting cannot overflow the stack. */
function walk(root: unknown, rootPath: string, text: RegExp, describe: (path: string) => string, limit: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<[unknown, string]> = [[root, rootPath]];
  while (stack.length && problems.length < limit) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (text.test(value)) problems.push({ path, message: `${describe(path)} holds a control character (${codePoint(value, text)}); send text without control characters` });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], pointer(path, i)]);
    } else if (value && typeof value === 'object') {
      for (const key of Object.keys(value).reverse()) {
        if (ANY_CONTROL.test(key)) {
          problems.push({ path: pointer(path, key), message: `${describe(pointer(path, key))}: the name holds a control character (${codePoint(key, ANY_CONTROL)})` });
        } else stack.push([(value as Record<string, unknown>)[key], pointer(path, key)]);
      }
    }
  }
  return problems;
}

/**
 * Every string input of a request that holds control characters: path parameters, query
 * parameters, the headers the gateway reads, and JSON body strings (where tab, line feed and
 * carriage return are allowed). NUL never reaches PostgreSQL (it refuses it in text and jsonb).
 */
export function controlCharacterProblems(req: Pick<Request, 'params' | 'query' | 'headers' | 'body'>, limit = 20): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(req.params ?? {})) {
    problems.push(...walk(value, `/${name}`, ANY_CONTROL, () => `The path parameter ${name}`, limit));
  }
  problems.push(...walk(req.query ?? {}, '', ANY_CONTROL, (path) => `The query parameter ${path.slice(1).split('/')[0]}`, limit));
  for (const name of READ_HEADERS) {
    const value = req.headers?.[name];
    if (value !== undefined) problems.push(...walk(value, `/${name}`, ANY_CONTROL, () => `The header ${name}`, limit));
  }
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) problems.push(...walk(req.body, '', CONTROL_IN_TEXT, (path) => `The body field ${path || '(the body)'}`, limit));
  return problems.slice(0, limit);
}

/**
 * Refuses a request with a control character in any string input with 400 problem+json naming
 * each parameter. A global guard, so it runs for every route (public ones too) before
 * authentication and before any handler can pass the value on.
 */
@Injectable()
export class ControlCharactersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const problems = controlCharacterProblems(context.switchToHttp().getRequest<Request>());
    if (!problems.length) return true;
    throw new ProblemException(400, `The request has ${problems.length} problem(s): ${problems.map((p) => p.message).join('; ')}`, {
      slug: 'control-characters',
      title: 'Invalid request',
      errors: problems,
    });
  }
}
