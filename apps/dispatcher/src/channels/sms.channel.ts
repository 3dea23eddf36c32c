import type { NotificationsConfig } from '@levensloop/config';
import { smsChannel } from '@levensloop/notifications';
import type { Channel, Outgoing, SendResult } from './channel';
import { answerToResult, sendJson } from './http';

/**
 * SMS through the gateway's HTTP API: accepted, not delivered — the gateway's signed report
 * (POST /callbacks/sms, stored by the API, applied by the dispatcher) settles it.
 */
export function createSmsChannel(config: NotificationsConfig): Channel<'sms'> {
  return {
    ...smsChannel,
    concurrency: 16,
    async send({ delivery, message }: Outgoing): Promise<SendResult> {
      const { url, token, callbackUrl } = config.sms;
      if (!url) return { kind: 'temporary', error: 'SMS_GATEWAY_URL is not set' };
      const answer = await sendJson(config, 'POST', `${url}/messages`, token, delivery.id, {
        to: delivery.address ?? '',
        text: message.sms.slice(0, 480),
        reference: delivery.id,
        callbackUrl,
      });
      return answerToResult(answer, (id) => ({ kind: 'accepted', providerRef: id ?? delivery.id }));
    },
  };
}
