import { startSandbox } from './app';

async function main() {
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 3100),
    publicUrl: process.env.SANDBOX_PUBLIC_URL,
    audience: process.env.OIDC_AUDIENCE ?? 'levensloop',
    agencyLatencyMs: Number(process.env.SANDBOX_AGENCY_LATENCY_MS ?? 0),
  });
  console.log(JSON.stringify({ level: 'info', msg: 'sandbox listening', url: sandbox.url }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void sandbox.close().then(() => process.exit(0)));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
