import { loadConfig } from '@levensloop/config';
import { CHANNEL_SPECS } from '@levensloop/notifications';
import type { Deliveries } from '@levensloop/persistence';
import { answerToResult, classifyHttp } from './http';
import { createChannels } from './registry';

const config = loadConfig({ DATABASE_URL: 'postgres://x@localhost/x', TEMPORAL_ADDRESS: 'localhost:7233', OIDC_ISSUER: 'https://issuer.example' }).notifications;

describe('the dispatcher’s channels', () => {
  test('every channel of the registry has a sender, with the registry’s rules', () => {
    const channels = createChannels({ config, deliveries: {} as Deliveries });
    expect([...channels.keys()]).toEqual(CHANNEL_SPECS.map((s) => s.key));
    for (const spec of CHANNEL_SPECS) {
      const channel = channels.get(spec.key)!;
      expect({ key: channel.key, reachesByItself: channel.reachesByItself, needs: channel.needs }).toEqual({ key: spec.key, reachesByItself: spec.reachesByItself, needs: spec.needs });
      expect(channel.concurrency).toBeGreaterThanOrEqual(1);
      expect(typeof channel.send).toBe('function');
    }
    for (const channel of channels.values()) channel.close?.();
  });

  test('without their far end configured, sends wait (temporary) instead of failing for good', async () => {
    const channels = createChannels({ config, deliveries: {} as Deliveries });
    const out = {
      delivery: { id: 'd1', notification_id: 'n1', recipient_type: 'person', recipient_id: 'p1', channel: 'sms', address: '+32470000000', language: 'nl', attempts: 1, subject: 's', body: 'b', sms: 't' },
      context: { transaction_id: 't', category: 'journey.started', action_needed: false, expires_at: null } as never,
      message: { subject: 's', body: 'b', sms: 't' },
      language: 'nl' as const,
      link: 'https://x/journeys/1',
    };
    for (const key of ['email', 'sms', 'ecounter']) expect(await channels.get(key)!.send(out)).toMatchObject({ kind: 'temporary', error: expect.stringMatching(/is not set/) });
    expect(await channels.get('letter')!.send({ ...out, delivery: { ...out.delivery, address: null } })).toEqual({ kind: 'permanent', error: 'no postal address known' });
  });

  test('HTTP answers: 2xx taken, 408/429/5xx and no answer temporary, other 4xx permanent', () => {
    expect(classifyHttp(503, 'busy')).toEqual({ kind: 'temporary', error: '503 busy' });
    expect(classifyHttp(429, '')).toEqual({ kind: 'temporary', error: '429' });
    expect(classifyHttp(408, 'slow')).toMatchObject({ kind: 'temporary' });
    expect(classifyHttp(422, 'bad')).toEqual({ kind: 'permanent', error: '422 bad' });
    expect(classifyHttp(499, '')).toMatchObject({ kind: 'permanent' });
    const ok = (id: string | undefined) => ({ kind: 'accepted' as const, providerRef: id ?? 'none' });
    expect(answerToResult({ status: 202, text: '{"id":"sms-1"}', body: { id: 'sms-1' } }, ok)).toEqual({ kind: 'accepted', providerRef: 'sms-1' });
    expect(answerToResult({ status: 200, text: '', body: undefined }, ok)).toEqual({ kind: 'accepted', providerRef: 'none' });
    expect(answerToResult({ status: 200, text: '{"id":3}', body: { id: 3 } }, ok)).toEqual({ kind: 'accepted', providerRef: 'none' });
    expect(answerToResult({ status: 300, text: 'x'.repeat(400), body: undefined }, ok)).toEqual({ kind: 'permanent', error: `300 ${'x'.repeat(300)}` });
    expect(answerToResult({ error: 'ECONNREFUSED' }, ok)).toEqual({ kind: 'temporary', error: 'ECONNREFUSED' });
  });
});
