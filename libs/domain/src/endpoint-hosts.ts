import type { Problem } from './problem';

/**
 * The hosts an agency's automatic steps may call, kept per agency by catalog admins: an entry is
 * a host name or IP address with an optional port (`agency.example`, `api.agency.example:8443`,
 * `127.0.0.1:3100`) and matches an endpoint whose URL host is exactly that (the default port of
 * the scheme is left out, as in URLs).
 */

export const MAX_ENDPOINT_HOSTS = 50;
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::\d{1,5})?$/;

/** Lowercased and without duplicates, in the order given. */
export function normaliseEndpointHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map((h) => h.trim().toLowerCase()))];
}

/** Problems of a list of endpoint hosts at `path`. */
export function validateEndpointHosts(hosts: unknown, path: string): Problem[] {
  if (!Array.isArray(hosts)) return [{ path, message: 'endpointHosts must be a list of hosts, e.g. ["agency.example", "api.agency.example:8443"]' }];
  const problems: Problem[] = [];
  if (hosts.length > MAX_ENDPOINT_HOSTS) problems.push({ path, message: `an agency has at most ${MAX_ENDPOINT_HOSTS} endpoint hosts (got ${hosts.length})` });
  hosts.forEach((host: unknown, i) => {
    const text = typeof host === 'string' ? host.trim().toLowerCase() : '';
    const port = /:(\d+)$/.exec(text)?.[1];
    if (!HOST_PATTERN.test(text) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      problems.push({ path: `${path}/${i}`, message: `${typeof host === 'string' ? `'${host}'` : 'this'} is not a host: give a host name or IP address with an optional port, without scheme or path (e.g. agency.example or 127.0.0.1:3100)` });
    }
  });
  return problems;
}

/** The host an endpoint URL calls (`host[:port]`, lowercase), or undefined when it is not a URL. */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).host.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** Why `endpoint` may not be used by an agency with these hosts, or undefined when it may. */
export function endpointHostProblem(agency: string, endpoint: string, hosts: readonly string[]): string | undefined {
  const host = endpointHost(endpoint);
  if (host === undefined || hosts.includes(host)) return undefined;
  return hosts.length
    ? `${host} is not among the endpoint hosts of agency '${agency}': it may use ${hosts.join(', ')} (a catalog admin keeps this list: PUT /agencies/${agency}/endpoint-hosts)`
    : `agency '${agency}' has no endpoint hosts yet, so its steps cannot call ${host}; a catalog admin adds the agency's hosts first (PUT /agencies/${agency}/endpoint-hosts)`;
}
