import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { LevensloopConfig } from '@levensloop/config';
import { CONFIG } from '../config.provider';

/**
 * SIGTERM drains the gateway (Nest's shutdown hooks run this before the server closes and before
 * the database and Temporal connections go): no new connections, idle keep-alive connections closed,
 * the requests in flight answered (with `Connection: close`) for at most SHUTDOWN_GRACE_MS, then
 * whatever is left is cut off. From the signal on `/health` answers 503 (on the internal port, which
 * stays open until the public server has closed), so that Kubernetes stops routing to the gateway.
 */
@Injectable()
export class ShutdownDrain implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ShutdownDrain');
  private readonly inFlight = new Set<ServerResponse>();
  private drainSignalled = false;
  private settled?: () => void;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {}

  /** A shutdown signal came: the gateway is draining and takes no new work. */
  get draining(): boolean {
    return this.drainSignalled;
  }

  private get server(): Server {
    return this.adapterHost.httpAdapter.getHttpServer() as Server;
  }

  onApplicationBootstrap() {
    this.server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.drainSignalled) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (!this.inFlight.size) this.settled?.();
      });
    });
  }

  async beforeApplicationShutdown(signal?: string) {
    if (!signal) return;
    this.drainSignalled = true;
    const server = this.server;
    const inFlight = this.inFlight.size;
    this.logger.log(`${signal}: draining, ${inFlight} requests in flight, at most ${this.config.shutdownGraceMs} ms`);
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Stops accepting now; the callback comes once every connection has gone (dispose waits for it too).
    server.close(() => undefined);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      new Promise<boolean>((resolve) => {
        this.settled = () => resolve(true);
        if (!this.inFlight.size) resolve(true);
      }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.config.shutdownGraceMs))),
    ]);
    clearTimeout(timer);
    if (!answered) this.logger.warn(`grace period over: ${this.inFlight.size} requests unanswered, their connections closed`);
    server.closeAllConnections();
  }
}
