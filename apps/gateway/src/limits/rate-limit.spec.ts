import { addressKey } from './rate-limit';

describe('addressKey: the budget a client address counts against', () => {
  it('groups IPv6 addresses by their /64 prefix, however they are written', () => {
    const key = addressKey('2001:db8:1234:5678::1');
    expect(key).toBe('2001:db8:1234:5678::/64');
    for (const rotated of ['2001:db8:1234:5678:ffff:ffff:ffff:ffff', '2001:0db8:1234:5678:0:0:0:2', '2001:DB8:1234:5678:abcd::9']) expect(addressKey(rotated)).toBe(key);
    expect(addressKey('2001:db8:1234:5679::1')).not.toBe(key);
  });

  it('keeps IPv4 addresses apart, also when written IPv4-mapped', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.8')).not.toBe(addressKey('203.0.113.7'));
  });

  it('passes through what is no address (a unix socket, none)', () => {
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('')).toBe('unknown');
    expect(addressKey('not-an-ip')).toBe('not-an-ip');
  });
});
