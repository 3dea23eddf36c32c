/**
 * What the deploy tier shares: where infra/deploy is, the tools `npm test` installs for it, and the
 * overlays rendered the way `kubectl apply -k` would render them.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DEPLOY_DIR = path.join(ROOT, 'infra', 'deploy');
export const DOCKERFILE = path.join(ROOT, 'infra', 'docker', 'Dockerfile');

/** Each overlay and the namespace it deploys into. */
export const OVERLAYS = { dev: 'levensloop-dev', prod: 'levensloop' } as const;
export type Overlay = keyof typeof OVERLAYS;

/** The Kubernetes version the objects are validated against (kubernetes-validate's schemas). */
export const KUBERNETES_VERSION = '1.32.0';

/**
 * Kinds that are custom resources (CloudNativePG's): kubernetes-validate has no schema for them and
 * says so per object (a warning); the test accepts that for these kinds only, and checks the fields
 * the deployment relies on itself.
 */
export const CUSTOM_KINDS = ['postgresql.cnpg.io/v1 Cluster', 'postgresql.cnpg.io/v1 Database'];

/** The tools `npm test` installs for this tier (kubectl with apt, the others from PyPI into .runtime/). */
export function tool(name: 'KUBECTL_PATH' | 'KUBERNETES_VALIDATE_PATH' | 'CHECKOV_PATH'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the deploy tier through \`npm test\`, which installs kubectl (apt), kubernetes-validate and checkov (PyPI).`);
  return value;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, any>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, any>;
  containers: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string } }>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

export interface Rendered {
  yaml: string;
  objects: K8sObject[];
}

/** `kubectl kustomize infra/deploy/overlays/<overlay>`: the objects `kubectl apply -k` would send. */
export function render(overlay: Overlay): Rendered {
  const yaml = execFileSync(tool('KUBECTL_PATH'), ['kustomize', path.join(DEPLOY_DIR, 'overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const objects = parseAllDocuments(yaml).map((doc) => {
    if (doc.errors.length) throw new Error(`kubectl kustomize ${overlay} rendered invalid YAML: ${doc.errors[0].message}`);
    return doc.toJS() as K8sObject;
  });
  return { yaml, objects: objects.filter(Boolean) };
}

export const kindOf = (o: K8sObject) => `${o.apiVersion} ${o.kind}`;

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
}

/** Deployments and Jobs with their pod templates. */
export function workloads(objects: K8sObject[]): Array<{ object: K8sObject; pod: PodSpec; labels: Record<string, string> }> {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((object) => ({ object, pod: object.spec.template.spec as PodSpec, labels: (object.spec.template.metadata?.labels ?? {}) as Record<string, string> }));
}

/** Whether a label selector (matchLabels and matchExpressions with In) selects these labels. */
export function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => e.operator === 'In' && e.values!.includes(labels[e.key]));
  return byLabel && byExpression;
}
