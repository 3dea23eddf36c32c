/** Renders benchmark results: a terminal table and a small SVG bar chart (no dependencies). */
export interface GrowthRow {
  variant: 'ceiling' | 'handwritten' | 'engine';
  k: number;
  journeys: number;
  journeysPerSecond: number;
  /** Until the dispatcher has also delivered every message and dossier status of the batch. */
  deliveredPerSecond: number;
  meanLatencyMs: number;
  historyEvents: number;
  stateTransitions: number;
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: Array<string | number>) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Grouped bars: journeys/s per K for each variant. */
export function growthChart(rows: GrowthRow[], title: string): string {
  const ks = [...new Set(rows.map((r) => r.k))];
  const variants = ['ceiling', 'handwritten', 'engine'] as const;
  const colours = { ceiling: '#6b7280', handwritten: '#2563eb', engine: '#059669' };
  const max = Math.max(...rows.map((r) => r.journeysPerSecond), 1);
  const width = 640;
  const height = 360;
  const left = 60;
  const bottom = 300;
  const groupWidth = (width - left - 20) / ks.length;
  const barWidth = (groupWidth - 30) / variants.length;
  const bars = ks.flatMap((k, gi) =>
    variants.map((v, vi) => {
      const row = rows.find((r) => r.k === k && r.variant === v);
      const value = row?.journeysPerSecond ?? 0;
      const h = (value / max) * (bottom - 40);
      const x = left + gi * groupWidth + 15 + vi * barWidth;
      return `<rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${colours[v]}"><title>${v}, K=${k}: ${value.toFixed(1)} journeys/s</title></rect>` +
        `<text x="${(x + barWidth / 2 - 2).toFixed(1)}" y="${(bottom - h - 4).toFixed(1)}" font-size="10" text-anchor="middle">${value.toFixed(0)}</text>`;
    }),
  );
  const labels = ks.map((k, gi) => `<text x="${(left + gi * groupWidth + groupWidth / 2).toFixed(1)}" y="${bottom + 18}" font-size="12" text-anchor="middle">K = ${k} steps</text>`);
  const legend = variants.map((v, i) => `<rect x="${left + i * 130}" y="${bottom + 32}" width="12" height="12" fill="${colours[v]}"/><text x="${left + i * 130 + 16}" y="${bottom + 42}" font-size="12">${v}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img" aria-label="${title}">
<title>${title}</title>
<text x="${left}" y="20" font-size="14" font-weight="bold">${title}</text>
<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#111"/>
<text x="14" y="${bottom / 2}" font-size="12" transform="rotate(-90 14 ${bottom / 2})">journeys / s</text>
${bars.join('\n')}
${labels.join('\n')}
${legend.join('\n')}
</svg>
`;
}
