import { readSourcesConfig } from './sources-config';

describe('sources configuration', () => {
  it('leaves every source unconfigured when nothing is set, with defaults for timeout and cache', () => {
    const { config, problems } = readSourcesConfig({});
    expect(problems).toEqual([]);
    expect(config).toEqual({
      endpoints: { 'national-register': {}, 'enterprise-register': {}, 'address-register': {}, 'criminal-record': {} },
      timeoutMs: 5000,
      cacheTtlMs: 60000,
    });
  });

  it('puts each source under the hub, with per-source overrides', () => {
    const { config, problems } = readSourcesConfig({
      SOURCES_URL: 'http://hub.local/sources/',
      SOURCES_TOKEN: 'hub-token',
      SOURCE_ADDRESS_REGISTER_URL: 'https://addresses.example.be/v2',
      SOURCE_ADDRESS_REGISTER_TOKEN: 'addr-token',
      SOURCES_TIMEOUT_MS: '1500',
      SOURCES_CACHE_TTL_MS: '0',
    });
    expect(problems).toEqual([]);
    expect(config).toEqual({
      endpoints: {
        'national-register': { url: 'http://hub.local/sources/national-register', token: 'hub-token' },
        'enterprise-register': { url: 'http://hub.local/sources/enterprise-register', token: 'hub-token' },
        'address-register': { url: 'https://addresses.example.be/v2', token: 'addr-token' },
        'criminal-record': { url: 'http://hub.local/sources/criminal-record', token: 'hub-token' },
      },
      timeoutMs: 1500,
      cacheTtlMs: 0,
    });
  });

  it('names every wrong variable', () => {
    const { problems } = readSourcesConfig({
      SOURCES_URL: 'ftp://hub',
      SOURCE_NATIONAL_REGISTRY_URL: 'http://typo',
      SOURCE_ENTERPRISE_REGISTER_URL: 'http://kbo.local',
      SOURCES_TIMEOUT_MS: 'soon',
      SOURCES_CACHE_TTL_MS: '-1',
    });
    expect(problems).toEqual([
      expect.stringContaining('SOURCE_NATIONAL_REGISTRY_URL names no source'),
      'SOURCES_URL must use http: or https: (got ftp:)',
      expect.stringMatching(/^SOURCES_TOKEN \(or SOURCE_ENTERPRISE_REGISTER_TOKEN\) is not set/),
      'SOURCES_TIMEOUT_MS must be an integer between 100 and 600000 (got soon)',
      'SOURCES_CACHE_TTL_MS must be an integer between 0 and 86400000 (got -1)',
    ]);
  });
});
