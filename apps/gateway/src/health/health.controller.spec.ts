import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapterHost } from '@nestjs/core';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { ShutdownDrain } from '../shutdown/drain';
import type { TemporalService } from '../temporal/temporal.provider';
import { HealthController } from './health.controller';

/** The health check during a SIGTERM drain: 503 from the signal on, so that no new traffic is routed here. */
describe('HealthController while the gateway drains', () => {
  it('answers 503 "draining" once the shutdown signal came, without asking PostgreSQL or Temporal', async () => {
    let answerInFlight: (() => void) | undefined;
    const server = http.createServer((_req, res) => {
      answerInFlight = () => res.end('done');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const adapterHost = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
    const drain = new ShutdownDrain(adapterHost, { shutdownGraceMs: 5000 } as LevensloopConfig);
    drain.onApplicationBootstrap();
    const asked: string[] = [];
    const db = { query: async () => asked.push('postgres') } as unknown as DataSource;
    const temporal = { isReachable: async () => asked.push('temporal') > 0 } as unknown as TemporalService;
    const controller = new HealthController(db, temporal, drain);
    const res = () => {
      const r = { code: 0, status: (code: number) => ((r.code = code), r) };
      return r;
    };

    // A request in flight keeps the drain going.
    const inFlight = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    expect(drain.draining).toBe(false);
    const drained = drain.beforeApplicationShutdown('SIGTERM');
    expect(drain.draining).toBe(true);
    const during = res();
    await expect(controller.health(during as unknown as Response)).resolves.toEqual({ status: 'draining' });
    expect(during.code).toBe(503);
    expect(asked).toEqual([]);

    answerInFlight!();
    expect(await inFlight).toBe('done');
    await drained;
  });
});
