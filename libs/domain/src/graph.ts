/**
 * Dependency-graph helpers over life-event nodes. An edge runs from a node to each node it
 * `dependsOn`. Unknown keys are ignored here (validation reports them); with duplicate node keys
 * the first node wins.
 */
export interface GraphNode {
  key: string;
  dependsOn?: string[];
}

function dependencyMap(nodes: readonly GraphNode[]): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const n of nodes) {
    if (!n || typeof n.key !== 'string' || deps.has(n.key)) continue;
    deps.set(n.key, Array.isArray(n.dependsOn) ? [...new Set(n.dependsOn.filter((d) => typeof d === 'string'))] : []);
  }
  for (const [key, list] of deps) deps.set(key, list.filter((d) => deps.has(d)));
  return deps;
}

/** Tarjan's strongly connected components, in discovery order. */
function components(deps: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  let counter = 0;
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v)!) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      result.push(component);
    }
  };
  for (const v of deps.keys()) if (!index.has(v)) connect(v);
  return result;
}

export interface DependencyCycle {
  /** Every node of the cycle (a strongly connected component of two or more nodes). */
  members: string[];
  /** One closed path through it, following dependsOn: ['a', 'c', 'b', 'a'] = a waits on c, c on b, b on a. */
  path: string[];
}

/**
 * Dependency cycles, one per group of mutually dependent nodes, each with a readable path that
 * starts at the group's first node in definition order. Self-dependencies are not included
 * (validation reports them on their own).
 */
export function findCycles(nodes: readonly GraphNode[]): DependencyCycle[] {
  const deps = dependencyMap(nodes);
  const order = [...deps.keys()];
  const cycles: DependencyCycle[] = [];
  for (const component of components(deps)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const start = order.find((k) => members.has(k))!;
    // Shortest way from start back to start inside the component (breadth first).
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    while (queue.length && last === undefined) {
      const u = queue.shift()!;
      for (const d of deps.get(u)!) {
        if (!members.has(d) || d === u) continue;
        if (d === start) {
          last = u;
          break;
        }
        if (!parent.has(d)) {
          parent.set(d, u);
          queue.push(d);
        }
      }
    }
    const path = [start];
    const back: string[] = [];
    for (let k = last; k !== undefined && k !== start; k = parent.get(k)) back.push(k);
    path.push(...back.reverse(), start);
    cycles.push({ members: order.filter((k) => members.has(k)), path });
  }
  return cycles;
}

/**
 * Node keys so that every node comes after the nodes it depends on (Kahn's algorithm). Ties keep
 * definition order, so the result is stable. Nodes in a cycle (or after one) are left out.
 */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const deps = dependencyMap(nodes);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [key, list] of deps) {
    waiting.set(key, list.length);
    for (const d of list) dependents.set(d, [...(dependents.get(d) ?? []), key]);
  }
  const position = new Map([...deps.keys()].map((k, i) => [k, i]));
  const ready = [...deps.keys()].filter((k) => waiting.get(k) === 0);
  const order: string[] = [];
  while (ready.length) {
    const key = ready.shift()!;
    order.push(key);
    for (const next of dependents.get(key) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) {
        // Keep the ready list in definition order (a handful of nodes: a linear insert is fine).
        const at = ready.findIndex((k) => position.get(k)! > position.get(next)!);
        ready.splice(at === -1 ? ready.length : at, 0, next);
      }
    }
  }
  return order;
}

/** Every node `key` depends on, directly or transitively (not the node itself unless in a cycle). */
export function ancestorsOf(nodes: readonly GraphNode[], key: string): Set<string> {
  const deps = dependencyMap(nodes);
  const result = new Set<string>();
  const stack = [...(deps.get(key) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (result.has(next)) continue;
    result.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return result;
}
