import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { LevensloopConfig } from '@levensloop/config';
import { tracingClientInterceptors } from '@levensloop/telemetry';
import { CONFIG } from '../config.provider';

/** One Temporal client per gateway; connects lazily so the gateway starts while Temporal is down. */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(CONFIG) readonly config: LevensloopConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address });
    // StartWorkflow (and update, query) spans carry the request's trace into the workflow.
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace, interceptors: tracingClientInterceptors() });
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
