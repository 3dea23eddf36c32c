/**
 * infra/deploy rendered as `kubectl apply -k` would send it (each overlay), every object validated
 * offline against the Kubernetes schemas, and what the deployment promises checked object by
 * object: unprivileged pods, probes on /health, autoscalers and budgets, default-deny network
 * policies, secrets by reference only, the migrations as a Job, Temporal's search attributes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readRetentionConfig } from '@levensloop/config';
import { SEARCH_ATTRIBUTES } from '@levensloop/runtime';
import { CUSTOM_KINDS, DEPLOY_DIR, find, kindOf, KUBERNETES_VERSION, OVERLAYS, ROOT, render, selects, tool, workloads, type K8sObject, type Overlay, type Rendered } from './support';

jest.setTimeout(120_000);

/** The Secrets each overlay's pods reference by name (README, Deploying, says how to create each). */
const SECRETS: Record<Overlay, string[]> = {
  dev: ['levensloop-agency-keys', 'levensloop-database', 'levensloop-secrets'],
  prod: ['levensloop-agency-keys', 'levensloop-database', 'levensloop-secrets', 'temporal-client-tls'],
};

/** The long-running processes; each gets probes, an autoscaler and a budget. */
const APPS = ['levensloop-gateway', 'levensloop-worker', 'levensloop-dispatcher', 'levensloop-console'];

/** The source text the processes read their settings from (libs and apps, without tests). */
function sourceText(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'web') walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(full);
    }
  };
  for (const top of ['libs', 'apps']) for (const project of fs.readdirSync(path.join(ROOT, top))) {
    const src = path.join(ROOT, top, project, 'src');
    if (fs.existsSync(src)) walk(src);
  }
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

describe.each(Object.keys(OVERLAYS) as Overlay[])('overlay %s', (overlay) => {
  let rendered: Rendered;
  let objects: K8sObject[];
  let workDir: string;

  beforeAll(() => {
    rendered = render(overlay);
    objects = rendered.objects;
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), `levensloop-deploy-${overlay}-`));
  });

  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('renders with kubectl kustomize, every object in the overlay namespace', () => {
    expect(objects.length).toBeGreaterThan(25);
    const namespace = find(objects, 'Namespace', OVERLAYS[overlay]);
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
      expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} in ${OVERLAYS[overlay]}`);
    }
  });

  it(`validates every object offline against the Kubernetes ${KUBERNETES_VERSION} schemas (strict); only CloudNativePG's kinds have none`, () => {
    const file = path.join(workDir, `${overlay}.yaml`);
    fs.writeFileSync(file, rendered.yaml);
    const run = spawnSync(tool('KUBERNETES_VALIDATE_PATH'), ['--strict', '-k', KUBERNETES_VERSION, file], { encoding: 'utf8' });
    const lines = run.stdout.split('\n').filter(Boolean);
    const errors = lines.filter((l) => !l.startsWith('INFO') && !l.startsWith('WARN'));
    expect({ status: run.status, errors, stderr: run.stderr }).toEqual({ status: 0, errors: [], stderr: '' });
    const unvalidated = lines
      .filter((l) => l.startsWith('WARN'))
      .map((l) => /for kind (\S+) with api version (\S+)/.exec(l))
      .map((m) => (m ? `${m[2]} ${m[1]}` : 'unexplained warning'));
    for (const kind of unvalidated) expect(CUSTOM_KINDS).toContain(kind);
    const custom = objects.filter((o) => CUSTOM_KINDS.includes(kindOf(o)));
    expect(unvalidated).toHaveLength(custom.length);
    expect(lines.filter((l) => l.startsWith('INFO') && l.includes(' passed for resource '))).toHaveLength(objects.length - custom.length);
  });

  it('keeps no secret in git: pods reference Secrets by name, each documented in README', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const referenced = new Set<string>();
    for (const { pod } of workloads(objects)) {
      for (const v of pod.volumes ?? []) if (v.secret) referenced.add(v.secret.secretName);
      for (const c of pod.containers) {
        for (const e of c.envFrom ?? []) if (e.secretRef) referenced.add(e.secretRef.name);
        for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) referenced.add(e.valueFrom.secretKeyRef.name);
        // Secrets' values never as literals in the manifests.
        for (const e of c.env ?? []) expect(`${e.name}=${e.value ?? ''}`).not.toMatch(/(TOKEN|SECRET|PASSWORD|KEY|DATABASE_URL)=\S/);
      }
    }
    expect([...referenced].sort()).toEqual(SECRETS[overlay]);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const name of referenced) expect({ name, documented: new RegExp(`create secret (generic|tls) ${name}\\b`).test(readme) }).toEqual({ name, documented: true });
  });

  it('runs every pod unprivileged: non-root, read-only root, no capabilities, RuntimeDefault seccomp, no service-account token', () => {
    const list = workloads(objects);
    expect(list.length).toBeGreaterThanOrEqual(6);
    for (const { object, pod } of list) {
      const name = `${object.kind}/${object.metadata.name}`;
      expect({ name, pod: pod.securityContext?.runAsNonRoot, seccomp: pod.securityContext?.seccompProfile?.type, token: pod.automountServiceAccountToken }).toEqual({ name, pod: true, seccomp: 'RuntimeDefault', token: false });
      expect(pod.securityContext?.runAsUser).toBeGreaterThanOrEqual(10000);
      const account = find(objects, 'ServiceAccount', pod.serviceAccountName!);
      expect(account.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect({ name, container: c.name, ...c.securityContext }).toEqual({
          name,
          container: c.name,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        // A fixed version: a tag (digest at release), never an implicit latest.
        expect(c.image).toMatch(/^[\w./-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
        expect(c.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      }
    }
  });

  it('gives each process probes on /health, an autoscaler and a disruption budget', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(deployments).toEqual(expect.arrayContaining(APPS));
    for (const name of deployments) {
      const deployment = find(objects, 'Deployment', name);
      const container = deployment.spec.template.spec.containers[0];
      for (const probe of [container.livenessProbe, container.readinessProbe]) {
        expect(probe?.httpGet?.path).toBe('/health');
        // The probe's port is one the container declares.
        const port = probe.httpGet.port;
        expect(container.ports.some((p: { name?: string; containerPort: number }) => p.name === port || p.containerPort === port)).toBe(true);
      }
      if (!APPS.includes(name)) continue;
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name);
      expect(hpa?.spec.metrics[0].resource.name).toBe('cpu');
      expect(hpa?.spec.maxReplicas).toBeGreaterThan(hpa?.spec.minReplicas);
      // The autoscaler owns the count: a replica count in the Deployment would be reset by every apply.
      expect({ name, replicas: deployment.spec.replicas }).toEqual({ name, replicas: undefined });
      const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && selects(o.spec.selector, deployment.spec.template.metadata.labels));
      expect(pdbs).toHaveLength(1);
    }
  });

  it('listens where the probes reach: every process health port on 0.0.0.0 through its settings', () => {
    const config = find(objects, 'ConfigMap', 'levensloop-config').data!;
    for (const key of ['GATEWAY_HOST', 'GATEWAY_INTERNAL_HOST', 'WORKER_HOST', 'DISPATCHER_HOST', 'CONSOLE_HOST']) expect(`${key}=${config[key]}`).toBe(`${key}=0.0.0.0`);
    expect(config.GATEWAY_INTERNAL_PORT).toBe('9000');
    expect(config.WORKER_PORT).toBe('3001');
    expect(config.DISPATCHER_PORT).toBe('3002');
    expect(config.CONSOLE_PORT).toBe('3200');
  });

  it('denies all traffic by default and lets every pod through a policy of its own', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const deny = find(objects, 'NetworkPolicy', 'default-deny-all');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const own = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0);
    for (const { object, labels } of workloads(objects)) {
      const mine = own.filter((p) => selects(p.spec.podSelector, labels));
      expect({ workload: object.metadata.name, policies: mine.length > 0 }).toEqual({ workload: object.metadata.name, policies: true });
    }
    // The console serves pages only: nothing goes out of it but DNS.
    expect(find(objects, 'NetworkPolicy', 'console').spec.egress).toEqual([]);
  });

  it('sets only settings the processes read (every ConfigMap key is named in libs/config or an app)', () => {
    const text = sourceText();
    const config = find(objects, 'ConfigMap', 'levensloop-config').data!;
    expect(Object.keys(config).length).toBeGreaterThan(20);
    const unknown = Object.keys(config).filter((key) => !new RegExp(`\\b${key}\\b`).test(text));
    expect(unknown).toEqual([]);
    expect(config.LEVENSLOOP_ENV).toBe(overlay === 'prod' ? 'production' : 'development');
    expect(config.CONSOLE_DEV_SIGN_IN).toBe(overlay === 'prod' ? 'false' : 'true');
  });

  it("runs the migrations as a Job with the owner's URL, which no long-running process holds", () => {
    const job = find(objects, 'Job', 'levensloop-migrate');
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toMatch(/^levensloop\/cli[:@]/);
    expect(container.args).toEqual(['migrate']);
    expect(container.env.find((e: { name: string }) => e.name === 'MIGRATION_DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'levensloop-database', key: 'MIGRATION_DATABASE_URL' });
    for (const { object, pod } of workloads(objects).filter((w) => w.object.kind === 'Deployment')) {
      for (const c of pod.containers) expect({ deployment: object.metadata.name, owner: (c.env ?? []).some((e) => e.name === 'MIGRATION_DATABASE_URL') }).toEqual({ deployment: object.metadata.name, owner: false });
    }
  });

  it('registers exactly the search attributes journeys are started with', () => {
    const job = find(objects, 'Job', 'levensloop-temporal-setup');
    const env = job.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    const listed = env.find((e) => e.name === 'SEARCH_ATTRIBUTES')!.value!.split(/\s+/).filter(Boolean);
    expect(Object.fromEntries(listed.map((pair) => pair.split('=')))).toEqual(SEARCH_ATTRIBUTES);
  });
});

describe('overlay-specific choices', () => {
  it('dev: PostgreSQL from CloudNativePG, with the runtime login in the group the migrations grant to', () => {
    const { objects } = render('dev');
    const cluster = find(objects, 'Cluster', 'levensloop-db');
    expect(cluster.spec.bootstrap.initdb).toEqual({ database: 'levensloop', owner: 'levensloop' });
    const roles = cluster.spec.managed.roles as Array<{ name: string; login: boolean; inRoles?: string[]; passwordSecret?: { name: string } }>;
    expect(roles.find((r) => r.name === 'levensloop_runtime')?.login).toBe(false);
    expect(roles.find((r) => r.name === 'levensloop_app')).toMatchObject({ login: true, inRoles: ['levensloop_runtime'], passwordSecret: { name: 'levensloop-db-runtime' } });
    const databases = objects.filter((o) => o.kind === 'Database');
    expect(databases.map((d) => d.spec.name).sort()).toEqual(['temporal', 'temporal_visibility']);
    for (const d of databases) {
      expect(d.spec.cluster.name).toBe('levensloop-db');
      expect(roles.map((r) => r.name)).toContain(d.spec.owner);
    }
    // The sandbox answers agency calls, which the worker may reach although it is internal.
    const config = find(objects, 'ConfigMap', 'levensloop-config').data!;
    expect(config.AGENCY_ALLOWED_INTERNAL_HOSTS).toBe('levensloop-sandbox.levensloop-dev.svc.cluster.local:3100');
    expect(find(objects, 'Deployment', 'levensloop-sandbox').spec.template.spec.containers[0].env).toContainEqual({ name: 'SANDBOX_HOST', value: '0.0.0.0' });
  });

  it('prod: no sandbox, no custom resources, and Temporal over mutual TLS for the gateway, the worker and the setup Job', () => {
    const { objects } = render('prod');
    expect(objects.filter((o) => o.metadata.name.includes('sandbox'))).toEqual([]);
    expect(objects.filter((o) => CUSTOM_KINDS.includes(kindOf(o)))).toEqual([]);
    for (const [kind, name] of [['Deployment', 'levensloop-gateway'], ['Deployment', 'levensloop-worker'], ['Job', 'levensloop-temporal-setup']]) {
      const env = find(objects, kind, name).spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
      expect(env).toEqual(expect.arrayContaining([{ name: 'TEMPORAL_TLS', value: 'true' }, { name: 'TEMPORAL_TLS_CLIENT_CERT_PATH', value: '/etc/temporal/tls/tls.crt' }]));
    }
    expect(find(objects, 'Deployment', 'levensloop-dispatcher').spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain('temporal-client-tls');
  });
});

describe("Temporal from the official chart's values", () => {
  const values = parseYaml(fs.readFileSync(path.join(DEPLOY_DIR, 'temporal', 'values.yaml'), 'utf8'));
  const dev = parseYaml(fs.readFileSync(path.join(DEPLOY_DIR, 'temporal', 'values-dev.yaml'), 'utf8'));

  it('persists on PostgreSQL with the password from a Secret, never in the file', () => {
    const stores = values.server.config.persistence.datastores;
    expect(Object.keys(stores).sort()).toEqual(['default', 'visibility']);
    for (const store of Object.values(stores) as Array<{ sql: Record<string, unknown> }>) {
      expect(store.sql).toMatchObject({ pluginName: 'postgres12', existingSecret: 'temporal-db', secretKey: 'password', manageSchema: true });
      expect(store.sql.password).toBeUndefined();
    }
    expect([stores.default.sql.databaseName, stores.visibility.sql.databaseName]).toEqual(['temporal', 'temporal_visibility']);
  });

  it("creates the namespace the processes use, and the frontend asks for the client certificate the prod overlay mounts", () => {
    for (const overlay of Object.keys(OVERLAYS) as Overlay[]) {
      const config = find(render(overlay).objects, 'ConfigMap', 'levensloop-config').data!;
      expect(values.server.config.namespaces.namespace.map((n: { name: string }) => n.name)).toEqual([config.TEMPORAL_NAMESPACE]);
      // The base's address is the chart's frontend Service for a release named temporal in the namespace temporal.
      expect(config.TEMPORAL_ADDRESS).toBe('temporal-frontend.temporal.svc.cluster.local:7233');
    }
    expect(values.server.tls.frontend).toMatchObject({ enabled: true, requireClientAuth: true });
    const setup = find(render('prod').objects, 'Job', 'levensloop-temporal-setup').spec.template.spec.containers[0].env;
    expect(setup).toContainEqual({ name: 'TEMPORAL_TLS_SERVER_NAME', value: values.server.tls.frontend.serverName });
    // Development: the CloudNativePG cluster of the dev overlay, without TLS.
    expect(dev.server.config.persistence.datastores.default.sql.connectAddr).toBe('levensloop-db-rw.levensloop-dev.svc.cluster.local:5432');
    expect(dev.server.tls.frontend.enabled).toBe(false);
  });

  it('creates the namespace with the history retention the configuration names (RETENTION_TEMPORAL_HISTORY), valid for the processes', () => {
    const days = (iso: string) => /^P(\d+)D$/.exec(iso)?.[1];
    for (const [overlay, chart] of [['prod', values], ['dev', dev]] as const) {
      const config = find(render(overlay).objects, 'ConfigMap', 'levensloop-config').data!;
      const { config: retention, problems } = readRetentionConfig(config);
      expect({ overlay, problems }).toEqual({ overlay, problems: [] });
      expect({ overlay, chart: chart.server.config.namespaces.namespace[0].retention }).toEqual({ overlay, chart: `${days(retention.temporalHistory)}d` });
    }
    const job = find(render('prod').objects, 'Job', 'levensloop-temporal-setup').spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    const prodConfig = find(render('prod').objects, 'ConfigMap', 'levensloop-config').data!;
    expect(job.find((e) => e.name === 'TEMPORAL_RETENTION')!.value).toBe(`${days(prodConfig.RETENTION_TEMPORAL_HISTORY)}d`);
  });
});
