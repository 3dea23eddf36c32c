import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Client, Connection } from '@temporalio/client';
import type { LevensloopConfig } from '@levensloop/config';
import { lazyClient, payloadCodec, type AesGcmPayloadCodec } from '@levensloop/temporal';
import { tracingClientInterceptors } from '@levensloop/telemetry';
import { CONFIG } from '../config.provider';

/** One Temporal client per gateway; connects lazily so the gateway starts while Temporal is down. */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  /** The payload codec every payload to and from Temporal passes through (also the codec server's). */
  readonly codec: AesGcmPayloadCodec;

  constructor(@Inject(CONFIG) readonly config: LevensloopConfig) {
    // StartWorkflow (and update, query) spans carry the request's trace into the workflow.
    this.client = lazyClient(config.temporal, { interceptors: tracingClientInterceptors() });
    this.connection = this.client.connection as Connection;
    this.codec = payloadCodec(config.temporal);
  }

  async isReachable(): Promise<boolean> {
    try {
      await this.connection.workflowService.getSystemInfo({}, );
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown() {
    await this.connection.close();
  }
}
