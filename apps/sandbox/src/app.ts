import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AgencySimulator } from './agencies/agency-simulator';
import { agencyRoutes } from './agencies/agency.routes';
import { devIssuerRoutes } from './oidc/dev-issuer';

export interface SandboxOptions {
  port: number;
  host?: string;
  publicUrl?: string;
  audience?: string;
  agencyLatencyMs?: number;
}

export interface RunningSandbox {
  url: string;
  simulator: AgencySimulator;
  close(): Promise<void>;
}

/** The simulated outside world: agency endpoints and a development token issuer. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  let baseUrl = options.publicUrl ?? '';
  const simulator = new AgencySimulator(options.agencyLatencyMs ?? 0);

  app.get('/health', (_req, res) => res.json({ status: 'ok' }));
  app.use(agencyRoutes(simulator));
  app.use(await devIssuerRoutes({ baseUrl: () => baseUrl, audience: options.audience ?? 'levensloop' }));
  app.use((err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: status === 500 ? 'Internal error' : 'Bad request', status, detail: err.message ?? 'error' }));
  });

  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(options.port, host, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  if (!baseUrl) baseUrl = `http://${host}:${port}`;
  return {
    url: `http://${host}:${port}`,
    simulator,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
