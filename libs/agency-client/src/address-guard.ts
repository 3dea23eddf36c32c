import * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Agency endpoints are outside the platform: a call must never reach the platform's own network
 * (loopback, private ranges, link-local with the cloud metadata address, CGNAT, multicast,
 * reserved ranges, and the IPv6 forms that embed such an IPv4 address). The address is checked
 * after DNS resolution, on the socket's own lookup, so a name that resolves to a public address
 * when the step is saved and to 127.0.0.1 when it is called (DNS rebinding) is still refused.
 */

/** Why `address` may not be called (the range it is in), or undefined for a public unicast address. */
export function internalRange(address: string): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns ::ffff:a.b.c.d into a.b.c.d, so the IPv4 rules apply to it.
    ip = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  const range = ip.range();
  if (ip.kind() === 'ipv4') return range === 'unicast' ? undefined : `IPv4 ${range}`;
  const v6 = ip as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6, range);
  if (embedded) {
    const inner = internalRange(embedded.toString());
    return inner ? `${inner} (in IPv6 ${range} form)` : undefined;
  }
  return range === 'unicast' ? undefined : `IPv6 ${range}`;
}

/** The IPv4 address carried by the IPv6 translation forms (RFC 6145, RFC 6052 NAT64, 6to4). */
function embeddedIPv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const bytes = ip.toByteArray();
  if (range === 'rfc6145' || range === 'rfc6052') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** Thrown when an endpoint resolves to (or is) an address the engine must not call. */
export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range}), which agency calls may not reach; an operator may allow it with AGENCY_ALLOWED_INTERNAL_HOSTS=<host:port>`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * The operator's allow-list (AGENCY_ALLOWED_INTERNAL_HOSTS, `host:port` entries): internal hosts
 * agency calls may reach anyway, e.g. the sandbox in development.
 */
export function isAllowedInternal(url: URL, allowedInternalHosts: readonly string[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const target = `${url.hostname.toLowerCase()}:${port}`;
  return allowedInternalHosts.some((entry) => entry.toLowerCase() === target);
}

/** A `lookup` for the socket that resolves as usual and refuses internal addresses. */
export function guardedLookup(host: string): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, verbatim: true } as dns.LookupAllOptions, (err, result, family?: number) => {
      if (err) return (callback as (e: Error) => void)(err);
      const addresses = Array.isArray(result) ? result : [{ address: result as unknown as string, family: family ?? 4 }];
      for (const { address } of addresses) {
        const range = internalRange(address);
        if (range) return (callback as (e: Error) => void)(new BlockedAddressError(host, address, range));
      }
      if (options.all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      (callback as (e: null, a: string, f: number) => void)(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Checks a host written as an IP address (the socket does no lookup for those). */
export function checkLiteralHost(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return;
  const range = internalRange(host);
  if (range) throw new BlockedAddressError(url.hostname, host, range);
}
