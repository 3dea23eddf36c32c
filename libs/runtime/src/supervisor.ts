import { startNodeProcess, type ManagedProcess, type StartProcessOptions } from './processes';

/** When a supervised child dies: wait `initialDelayMs`, doubled per quick death up to `maxDelayMs`. */
export interface RestartPolicy {
  /** Default 1 s. */
  initialDelayMs: number;
  /** Default 30 s. */
  maxDelayMs: number;
  /** A child that ran this long before dying was stable: the wait starts again at `initialDelayMs`. Default 60 s. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** The next wait before a restart, given the last one and how long the child ran. */
export function nextRestartDelay(policy: RestartPolicy, previousDelayMs: number | undefined, ranForMs: number): number {
  if (previousDelayMs === undefined || ranForMs >= policy.stableAfterMs) return policy.initialDelayMs;
  return Math.min(policy.maxDelayMs, previousDelayMs * 2);
}

export interface SupervisedProcess {
  name: string;
  /** The child running now (the last one started while a restart is pending). */
  readonly current: ManagedProcess;
  /** Restarts so far. */
  readonly restarts: number;
  /** From now on a death is not followed by a restart (call it on every child before stopping them one by one). */
  stopRestarting(): void;
  /** Stops the child and every pending restart; the child is not started again. */
  stop(): Promise<void>;
}

export interface SuperviseOptions extends Partial<RestartPolicy> {
  /** Where the supervisor says what happened (default console.error). */
  log?: (line: string) => void;
}

/**
 * Starts a Node script and keeps it running: when it dies it is started again after a backoff
 * (1 s doubling to 30 s, back to 1 s after a stable minute), saying what happened and when it
 * comes back. A failed first start throws, as startNodeProcess does; only stop() ends it.
 */
export async function superviseNodeProcess(options: StartProcessOptions, supervise: SuperviseOptions = {}): Promise<SupervisedProcess> {
  const policy: RestartPolicy = {
    initialDelayMs: supervise.initialDelayMs ?? DEFAULT_RESTART_POLICY.initialDelayMs,
    maxDelayMs: supervise.maxDelayMs ?? DEFAULT_RESTART_POLICY.maxDelayMs,
    stableAfterMs: supervise.stableAfterMs ?? DEFAULT_RESTART_POLICY.stableAfterMs,
  };
  const log = supervise.log ?? ((line: string) => console.error(line));
  let current = await startNodeProcess(options);
  let startedAt = Date.now();
  let restarts = 0;
  let delay: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<unknown> | undefined;

  const schedule = (why: string, ranForMs: number) => {
    // A start that fails after stop() must not announce (or set up) another restart.
    if (stopped) return;
    delay = nextRestartDelay(policy, delay, ranForMs);
    const at = new Date(Date.now() + delay).toISOString().slice(11, 19);
    log(`[supervisor] ${options.name} ${why}; restarting in ${delay >= 1000 ? `${delay / 1000} s` : `${delay} ms`} (at ${at} UTC)`);
    timer = setTimeout(() => {
      timer = undefined;
      starting = restart().finally(() => (starting = undefined));
    }, delay);
  };

  const watch = (managed: ManagedProcess) => {
    managed.child.once('exit', (code, signal) => {
      if (stopped) return;
      const ranForMs = Date.now() - startedAt;
      schedule(`exited (${signal ? `signal ${signal}` : `code ${code}`}) after ${(ranForMs / 1000).toFixed(1)} s`, ranForMs);
    });
  };

  const restart = async () => {
    if (stopped) return;
    try {
      const next = await startNodeProcess(options);
      if (stopped) return void (await next.stop());
      current = next;
      startedAt = Date.now();
      restarts += 1;
      log(`[supervisor] ${options.name} restarted (restart ${restarts})`);
      watch(next);
    } catch (err) {
      schedule(`did not start again: ${(err as Error).message.split('\n')[0]}`, 0);
    }
  };

  const stopRestarting = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  watch(current);
  return {
    name: options.name,
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    stopRestarting,
    async stop() {
      stopRestarting();
      await starting;
      await current.stop();
    },
  };
}
