/** Lays out a life event's graph left to right: each node one column after its latest dependency. */
export interface GraphInput {
  key: string;
  dependsOn?: string[];
}

export interface PlacedNode {
  key: string;
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** An SVG path from the right edge of `from` to the left edge of `to`. */
  d: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
}

export function layoutGraph(input: GraphInput[], size = { nodeWidth: 176, nodeHeight: 64, gapX: 44, gapY: 16, margin: 8 }): GraphLayout {
  const byKey = new Map(input.map((n) => [n.key, n]));
  const column = new Map<string, number>();
  const columnOf = (key: string, seen: Set<string>): number => {
    const known = column.get(key);
    if (known !== undefined) return known;
    if (seen.has(key)) return 0; // a cycle: the catalog refuses them, draw it anyway
    seen.add(key);
    const deps = (byKey.get(key)?.dependsOn ?? []).filter((d) => byKey.has(d));
    const c = deps.length ? 1 + Math.max(...deps.map((d) => columnOf(d, seen))) : 0;
    column.set(key, c);
    return c;
  };
  const rows = new Map<number, number>();
  const { nodeWidth, nodeHeight, gapX, gapY, margin } = size;
  const nodes: PlacedNode[] = input.map((n) => {
    const c = columnOf(n.key, new Set());
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    return { key: n.key, column: c, row: r, x: margin + c * (nodeWidth + gapX), y: margin + r * (nodeHeight + gapY) };
  });
  const placed = new Map(nodes.map((n) => [n.key, n]));
  const edges: PlacedEdge[] = [];
  for (const n of input) {
    for (const dep of n.dependsOn ?? []) {
      const a = placed.get(dep);
      const b = placed.get(n.key);
      if (!a || !b) continue;
      const x1 = a.x + nodeWidth;
      const y1 = a.y + nodeHeight / 2;
      const x2 = b.x;
      const y2 = b.y + nodeHeight / 2;
      const mid = (x1 + x2) / 2;
      edges.push({ from: dep, to: n.key, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
    }
  }
  const columns = Math.max(0, ...nodes.map((n) => n.column)) + 1;
  const maxRows = Math.max(0, ...rows.values());
  return {
    nodes,
    edges,
    width: margin * 2 + columns * nodeWidth + (columns - 1) * gapX,
    height: margin * 2 + maxRows * nodeHeight + Math.max(0, maxRows - 1) * gapY,
    nodeWidth,
    nodeHeight,
  };
}

/** Splits a title into at most `lines` lines of about `width` characters, for SVG text. */
export function wrapText(text: string, width: number, lines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (!line) line = w;
    else if ((line + ' ' + w).length <= width) line += ' ' + w;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  kept[lines - 1] = `${kept[lines - 1].slice(0, Math.max(1, width - 1))}…`;
  return kept;
}
