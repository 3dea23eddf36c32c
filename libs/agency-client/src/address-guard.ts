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

/** IPv6 prefixes refused whole, whatever ipaddr.js calls the address in them. */
const REFUSED_IPV6 = [
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): `[::127.0.0.1]` becomes `::7f00:1`,
  // which ipaddr.js calls unicast, and some stacks still route it to the IPv4 address.
  { prefix: ipaddr.IPv6.parse('::'), bits: 96, name: 'IPv6 IPv4-compatible (::/96)' },
  // Local-use NAT64 (RFC 8215): the operator's own translator, which may place the IPv4 address
  // anywhere after the prefix, so it cannot be read off the last four bytes.
  { prefix: ipaddr.IPv6.parse('64:ff9b:1::'), bits: 48, name: 'IPv6 local-use NAT64 (64:ff9b:1::/48)' },
];

/**
 * Why `address` may not be called (the range it is in), or undefined for a public unicast address.
 * The one classification of the platform: the agency client checks resolved addresses with it,
 * and the production profile the hosts an operator allows.
 */
export function internalRange(address: string): string | undefined {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(text);
  } catch {
    return 'not an IP address';
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    // ipaddr.js reads `::a.b.c.d` as if it were `::ffff:a.b.c.d`; a mapped address has ffff in its text.
    if (range === 'ipv4Mapped' && !/ffff/i.test(text)) return REFUSED_IPV6[0].name;
    // :: and ::1 are in ::/96 too; they keep their own names.
    if (range !== 'unspecified' && range !== 'loopback') {
      const refused = REFUSED_IPV6.find(({ prefix, bits }) => v6.match(prefix, bits));
      if (refused) return refused.name;
    }
    // ::ffff:a.b.c.d is a.b.c.d, so the IPv4 rules apply to it.
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
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
