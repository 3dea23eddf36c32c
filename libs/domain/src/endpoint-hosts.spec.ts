import { endpointHost, endpointHostProblem, normaliseEndpointHosts, validateEndpointHosts } from './endpoint-hosts';

describe('agency endpoint hosts', () => {
  it('accepts host names and addresses with optional ports', () => {
    expect(validateEndpointHosts(['agency.example', 'API.agency.example:8443', '127.0.0.1:3100', '[::1]:8080'], '/endpointHosts')).toEqual([]);
  });

  it('refuses URLs, paths, bad ports and non-lists at their pointers', () => {
    expect(validateEndpointHosts(['https://agency.example', 'agency.example/api', 'agency.example:99999', 'a..b', 3], '/endpointHosts').map((p) => p.path)).toEqual([
      '/endpointHosts/0',
      '/endpointHosts/1',
      '/endpointHosts/2',
      '/endpointHosts/3',
      '/endpointHosts/4',
    ]);
    expect(validateEndpointHosts('agency.example', '/endpointHosts')).toEqual([{ path: '/endpointHosts', message: expect.stringContaining('must be a list') }]);
  });

  it('matches the endpoint URL host exactly (the default port left out, as URLs do)', () => {
    const hosts = normaliseEndpointHosts(['Agency.example', 'agency.example', '127.0.0.1:3100']);
    expect(hosts).toEqual(['agency.example', '127.0.0.1:3100']);
    expect(endpointHostProblem('bank', 'https://agency.example/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'https://agency.example:443/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'http://127.0.0.1:3100/agencies/bank/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'https://agency.example:8443/open', hosts)).toContain('agency.example:8443 is not among the endpoint hosts of agency \'bank\': it may use agency.example, 127.0.0.1:3100');
    expect(endpointHostProblem('bank', 'https://evil.example.agency.example.net/open', hosts)).toContain('is not among');
    expect(endpointHostProblem('bank', 'https://agency.example/open', [])).toContain("agency 'bank' has no endpoint hosts yet");
  });

  it('matches an entry that writes out the default port, for that scheme only', () => {
    const hosts = normaliseEndpointHosts(['API.agency.example:443', 'plain.example:80', 'odd.example:08443']);
    expect(hosts).toEqual(['api.agency.example:443', 'plain.example:80', 'odd.example:8443']);
    expect(endpointHostProblem('bank', 'https://api.agency.example/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'HTTPS://api.agency.example:443/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'http://api.agency.example/open', hosts)).toContain('is not among');
    expect(endpointHostProblem('bank', 'http://plain.example/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'https://plain.example/open', hosts)).toContain('is not among');
    expect(endpointHostProblem('bank', 'https://odd.example:8443/open', hosts)).toBeUndefined();
  });

  it('compares international names in punycode and ignores user info, for entries and endpoints alike', () => {
    expect(validateEndpointHosts(['bücher.example', 'Bücher.example:8443'], '/endpointHosts')).toEqual([]);
    const hosts = normaliseEndpointHosts(['Bücher.example']);
    expect(hosts).toEqual(['xn--bcher-kva.example']);
    expect(endpointHostProblem('bank', 'https://BÜCHER.example/open', hosts)).toBeUndefined();
    expect(endpointHostProblem('bank', 'https://user:pw@xn--bcher-kva.example/open', hosts)).toBeUndefined();
    expect(endpointHost('HTTPS://user@Bücher.example:443/x')).toBe('xn--bcher-kva.example');
    // Entries kept before normalisation (uppercase, unpadded) still match.
    expect(endpointHostProblem('bank', 'https://agency.example/open', ['Agency.Example'])).toBeUndefined();
  });
});

describe('agency endpoint hosts: exact messages and bounds', () => {
  it('says why an entry is no host, and how many hosts an agency may have', () => {
    expect(validateEndpointHosts(['https://a.example', 7], '/hosts')).toEqual([
      { path: '/hosts/0', message: "'https://a.example' is not a host: give a host name or IP address with an optional port, without scheme or path (e.g. agency.example or 127.0.0.1:3100)" },
      { path: '/hosts/1', message: 'this is not a host: give a host name or IP address with an optional port, without scheme or path (e.g. agency.example or 127.0.0.1:3100)' },
    ]);
    expect(validateEndpointHosts({}, '/hosts')).toEqual([{ path: '/hosts', message: 'endpointHosts must be a list of hosts, e.g. ["agency.example", "api.agency.example:8443"]' }]);
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example`);
    expect(validateEndpointHosts(hosts(50), '/hosts')).toEqual([]);
    expect(validateEndpointHosts(hosts(51), '/hosts')).toEqual([{ path: '/hosts', message: 'an agency has at most 50 endpoint hosts (got 51)' }]);
  });

  it('ports from 1 to 65535 only; no user info, query, fragment, escapes or blanks in a host', () => {
    const bad = (list: string[]) => validateEndpointHosts(list, '').map((p) => p.path);
    expect(bad(['a.example:1', 'a.example:65535', ' a.example ', '[2001:db8::1]'])).toEqual([]);
    expect(bad(['a.example:0', 'a.example:65536', 'u@a.example', 'a.example?x', 'a#b', 'a%41.example', 'a b', 'a\\b', '', ':80', '-a.example', '[zz]'])).toEqual(
      ['/0', '/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9', '/10', '/11'],
    );
  });

  it('keeps what is no host as given (lowercase, trimmed), once', () => {
    expect(normaliseEndpointHosts([' Bad/Path ', 'bad/path', 'A.example:0443'])).toEqual(['bad/path', 'a.example:443']);
  });

  it('reads the host of an endpoint, or nothing when it is no URL or has no host', () => {
    expect(endpointHost('https://Agency.Example:8443/x')).toBe('agency.example:8443');
    expect(endpointHost('not a url')).toBeUndefined();
    expect(endpointHost('mailto:a@b.example')).toBeUndefined();
    expect(endpointHostProblem('bank', 'not a url', ['a.example'])).toBeUndefined();
    expect(endpointHostProblem('bank', 'mailto:a@b.example', [])).toBeUndefined();
  });

  it('the whole refusal, with the hosts the agency may use and who keeps them', () => {
    expect(endpointHostProblem('bank', 'https://other.example/x', ['a.example', 'b.example:8443'])).toBe(
      "other.example is not among the endpoint hosts of agency 'bank': it may use a.example, b.example:8443 (a catalog admin keeps this list: PUT /agencies/bank/endpoint-hosts)",
    );
    expect(endpointHostProblem('bank', 'https://other.example/x', [])).toBe(
      "agency 'bank' has no endpoint hosts yet, so its steps cannot call other.example; a catalog admin adds the agency's hosts first (PUT /agencies/bank/endpoint-hosts)",
    );
    // An entry with a port does not match the same host on another port, nor one without a port on a non-default port.
    expect(endpointHostProblem('bank', 'https://a.example:8443/x', ['a.example:9443'])).toContain('is not among');
    expect(endpointHostProblem('bank', 'http://a.example:8080/x', ['a.example'])).toContain('is not among');
    expect(endpointHostProblem('bank', 'http://a.example:8080/x', ['a.example:8080'])).toBeUndefined();
  });
});
