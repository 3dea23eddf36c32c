import * as fs from 'node:fs';

/**
 * CPU seconds used so far by the processes of each component, read from /proc (Linux). Only this
 * run's processes count (descendants of the benchmark), not another runtime on the same machine.
 */
export function cpuByComponent(): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; seconds: number; cmdline: string }>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      stats.set(Number(pid), { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticks, cmdline }); // utime + stime + children that ended (PostgreSQL backends)
    } catch {
      // the process ended meanwhile
    }
  }
  const ours = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = stats.get(p)?.ppid ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  const totals: Record<string, number> = {};
  for (const [pid, { seconds, cmdline }] of stats) {
    const component = componentOf(cmdline);
    if (component && ours(pid)) totals[component] = (totals[component] ?? 0) + seconds;
  }
  return totals;
}

function componentOf(cmdline: string): string | undefined {
  if (cmdline.includes('temporal server start-dev')) return 'temporal';
  if (cmdline.startsWith('postgres') || cmdline.includes('/bin/postgres')) return 'postgres';
  if (cmdline.includes('apps/gateway/')) return 'gateway';
  if (cmdline.includes('apps/worker/')) return 'worker';
  if (cmdline.includes('apps/sandbox/')) return 'sandbox';
  if (cmdline.includes('apps/dispatcher/')) return 'dispatcher';
  if (cmdline.includes('bench-worker')) return 'bench-worker';
  if (cmdline.includes('test/bench/run')) return 'driver';
  return undefined;
}

export function cpuDelta(before: Record<string, number>, after: Record<string, number>, per: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Number((((after[k] ?? 0) - (before[k] ?? 0)) * 1000 / per).toFixed(1))]));
}
