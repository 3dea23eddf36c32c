import type { Problem } from './problem';

/**
 * The hosts an agency's automatic steps may call, kept per agency by catalog admins: an entry is
 * a host name or IP address with an optional port (`agency.example`, `api.agency.example:8443`,
 * `127.0.0.1:3100`). Entries and endpoints are compared as URLs see them: lowercase, an
 * international name in punycode, a port as a number. An entry without a port matches an endpoint
 * on its scheme's default port; one with a port matches that port, the default one written out
 * too (`api.agency.example:443` matches `https://api.agency.example/`, not `http://…`).
 */

export const MAX_ENDPOINT_HOSTS = 50;
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::\d{1,5})?$/;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** An entry as URLs write its host (lowercase, punycode, port without leading zeros), or undefined when it is no host. */
export function normaliseEndpointHost(entry: string): string | undefined {
  const parts = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(entry.trim());
  // Only a host: what would make the URL parser read a path, query, user info or escapes is refused.
  if (!parts || !parts[1] || /[/?#@\\%\s]/.test(parts[1])) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${parts[1]}`).hostname;
  } catch {
    return undefined;
  }
  const host = parts[2] === undefined ? hostname : `${hostname}:${Number(parts[2])}`;
  const port = parts[2] === undefined ? undefined : Number(parts[2]);
  return HOST_PATTERN.test(host) && (port === undefined || (port >= 1 && port <= 65535)) ? host : undefined;
}

/** Normalised and without duplicates, in the order given (what is no host is kept as given, lowercase). */
export function normaliseEndpointHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map((h) => normaliseEndpointHost(h) ?? h.trim().toLowerCase()))];
}

/** Problems of a list of endpoint hosts at `path`. */
export function validateEndpointHosts(hosts: unknown, path: string): Problem[] {
  if (!Array.isArray(hosts)) return [{ path, message: 'endpointHosts must be a list of hosts, e.g. ["agency.example", "api.agency.example:8443"]' }];
  const problems: Problem[] = [];
  if (hosts.length > MAX_ENDPOINT_HOSTS) problems.push({ path, message: `an agency has at most ${MAX_ENDPOINT_HOSTS} endpoint hosts (got ${hosts.length})` });
  hosts.forEach((host: unknown, i) => {
    if (typeof host !== 'string' || normaliseEndpointHost(host) === undefined) {
      problems.push({ path: `${path}/${i}`, message: `${typeof host === 'string' ? `'${host}'` : 'this'} is not a host: give a host name or IP address with an optional port, without scheme or path (e.g. agency.example or 127.0.0.1:3100)` });
    }
  });
  return problems;
}

/**
 * The host an endpoint URL calls as an entry would name it (`new URL().host`: lowercase, punycode,
 * the scheme's default port left out, no user info), or undefined when it is not a URL.
 */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).host || undefined;
  } catch {
    return undefined;
  }
}

/** Whether an endpoint URL calls the host of a normalised entry. */
function entryMatches(entry: string, url: URL): boolean {
  const port = /:(\d+)$/.exec(entry)?.[1];
  const hostname = port === undefined ? entry : entry.slice(0, -(port.length + 1));
  if (hostname !== url.hostname) return false;
  const urlPort = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  return port === undefined ? url.port === '' : Number(port) === urlPort;
}

/** Why `endpoint` may not be used by an agency with these hosts, or undefined when it may. */
export function endpointHostProblem(agency: string, endpoint: string, hosts: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  const host = url.host;
  if (!host || hosts.some((entry) => entryMatches(normaliseEndpointHost(entry) ?? entry, url))) return undefined;
  return hosts.length
    ? `${host} is not among the endpoint hosts of agency '${agency}': it may use ${hosts.join(', ')} (a catalog admin keeps this list: PUT /agencies/${agency}/endpoint-hosts)`
    : `agency '${agency}' has no endpoint hosts yet, so its steps cannot call ${host}; a catalog admin adds the agency's hosts first (PUT /agencies/${agency}/endpoint-hosts)`;
}
