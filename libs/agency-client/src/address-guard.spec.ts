import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { internalRange } from './address-guard';
import { AgencyCallRefusedError, callAgencyEndpoint } from './agency-client';

describe('internalRange: the addresses agency calls may not reach', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // cloud metadata
    ['169.254.0.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'linkLocal'],
  ])('%s is refused (%s)', (address, range) => {
    expect(internalRange(address)).toContain(range);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped
    ['::ffff:7f00:1', 'loopback'], // the same, in hex
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:127.0.0.1', 'loopback'], // IPv4-translated (RFC 6145)
    ['::ffff:0:192.168.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'], // NAT64 (RFC 6052)
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b:1::10.0.0.1', 'local-use NAT64'], // RFC 8215, refused whole:
    ['64:ff9b:1:7f00:1::', 'local-use NAT64'], // a /48 translator puts 127.0.0.1 here, not in the last 4 bytes
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['::7f00:1', 'IPv4-compatible'], // what URL makes of [::127.0.0.1]; ipaddr.js calls it unicast
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::a9fe:a9fe', 'IPv4-compatible'],
    ['::8.8.8.8', 'IPv4-compatible'], // deprecated form, refused whatever it carries
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
  ])('the IPv6 form %s of an internal IPv4 address is refused (%s)', (address, range) => {
    expect(internalRange(address)).toContain(range);
  });

  it.each(['8.8.8.8', '93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is a public address', (address) => {
    expect(internalRange(address)).toBeUndefined();
  });

  it('refuses what is not an IP address at all', () => {
    expect(internalRange('localhost')).toBe('not an IP address');
  });
});

describe('agency calls to internal addresses', () => {
  let server: http.Server;
  let port: number;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"done"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = 0;
  });

  const input = (endpoint: string) => ({ journeyId: 'j', nodeKey: 'n', agency: 'bank', endpoint, idempotencyKey: 'k', subject: { type: 'person' as const, id: '1' }, data: {} });

  it('refuses a host name that resolves to 127.0.0.1 at connect time, before anything is sent', async () => {
    const err = await callAgencyEndpoint(input(`http://localhost:${port}/agencies/bank/x`), { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgencyCallRefusedError);
    expect((err as Error).message).toMatch(/localhost resolves to (127\.0\.0\.1|::1) \(IPv[46] loopback\)/);
    expect(requests).toBe(0);
  });

  it('refuses IP-literal hosts, for which the socket does no lookup', async () => {
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '0x7f.1']) {
      const err = await callAgencyEndpoint(input(`http://${host}:${port}/x`), { timeoutMs: 2000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgencyCallRefusedError);
      expect((err as Error).message).toContain('loopback');
    }
    expect(requests).toBe(0);
  });

  it('calls an internal host the operator allow-listed (host:port), and only on that port', async () => {
    const ok = await callAgencyEndpoint(input(`http://localhost:${port}/x`), { timeoutMs: 2000, allowedInternalHosts: [`localhost:${port}`] });
    expect(ok).toMatchObject({ status: 200, body: { status: 'done' } });
    const literal = await callAgencyEndpoint(input(`http://127.0.0.1:${port}/x`), { timeoutMs: 2000, allowedInternalHosts: [`127.0.0.1:${port}`] });
    expect(literal.status).toBe(200);
    const otherPort = await callAgencyEndpoint(input(`http://127.0.0.1:${port}/x`), { timeoutMs: 2000, allowedInternalHosts: [`127.0.0.1:${port + 1}`] }).catch((e: unknown) => e);
    expect(otherPort).toBeInstanceOf(AgencyCallRefusedError);
    expect(requests).toBe(2);
  });

  it('refuses an IPv4-compatible literal as the URL parser writes it ([::127.0.0.1] becomes [::7f00:1])', async () => {
    const url = `http://[::127.0.0.1]:${port}/x`;
    expect(new URL(url).hostname).toBe('[::7f00:1]');
    const err = await callAgencyEndpoint(input(url), { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgencyCallRefusedError);
    expect((err as Error).message).toContain('IPv4-compatible');
    expect(requests).toBe(0);
  });
});
