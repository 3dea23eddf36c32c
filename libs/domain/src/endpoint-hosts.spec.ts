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
