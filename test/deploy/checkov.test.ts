/**
 * checkov over what would be deployed (both overlays, rendered) and the Dockerfile: no failed
 * check at all (checkov without a platform key reports no severities, so "no high-severity
 * issue" is held as "no failed check"), and every skipped check carries its reason inline.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOCKERFILE, OVERLAYS, render, tool, type Overlay } from './support';

jest.setTimeout(300_000);

interface CheckResult {
  check_id: string;
  file_path: string;
  resource: string;
  check_result: { result: string; suppress_comment?: string };
}

interface Report {
  check_type: string;
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number; resource_count: number };
  results: { passed_checks: CheckResult[]; failed_checks: CheckResult[]; skipped_checks: CheckResult[] };
}

let reports: Report[];
let output: string;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-checkov-'));
  try {
    for (const overlay of Object.keys(OVERLAYS) as Overlay[]) fs.writeFileSync(path.join(dir, `${overlay}.yaml`), render(overlay).yaml);
    fs.copyFileSync(DOCKERFILE, path.join(dir, 'Dockerfile'));
    // --skip-download: offline, with the checks that ship with the pinned release.
    const run = spawnSync(tool('CHECKOV_PATH'), ['-d', dir, '--framework', 'kubernetes', 'dockerfile', '--output', 'json', '--skip-download'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    output = run.stdout;
    const parsed = JSON.parse(run.stdout);
    reports = Array.isArray(parsed) ? parsed : [parsed];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('scans both rendered overlays and the Dockerfile', () => {
  expect(reports.map((r) => r.check_type).sort()).toEqual(['dockerfile', 'kubernetes']);
  const files = new Set(reports.flatMap((r) => r.results.passed_checks.map((c) => c.file_path)));
  expect([...files].sort()).toEqual(['/Dockerfile', '/dev.yaml', '/prod.yaml']);
  for (const r of reports) {
    expect(r.summary.parsing_errors).toBe(0);
    expect(r.summary.passed).toBeGreaterThan(50);
  }
});

it('finds no failed check', () => {
  const failed = reports.flatMap((r) => r.results.failed_checks.map((c) => `${c.check_id} ${c.file_path} ${c.resource}`));
  expect(failed).toEqual([]);
  expect(reports.map((r) => r.summary.failed)).toEqual([0, 0]);
  expect(output.length).toBeGreaterThan(0);
});

it('skips a check only with its reason written next to it', () => {
  const skipped = reports.flatMap((r) => r.results.skipped_checks);
  expect(skipped.length).toBeGreaterThan(0);
  for (const c of skipped) {
    expect({ check: `${c.check_id} ${c.resource}`, reason: (c.check_result.suppress_comment ?? '').length > 20 }).toEqual({ check: `${c.check_id} ${c.resource}`, reason: true });
  }
  // Only the two skips the manifests explain: image digests (pinned at release) and settings from the environment.
  expect([...new Set(skipped.map((c) => c.check_id))].sort()).toEqual(['CKV_K8S_35', 'CKV_K8S_43']);
});
