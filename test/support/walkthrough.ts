/**
 * A journey's timeline as plain text, one line per event (time since the start, event, step, what
 * it says), followed by the messages its subject got: what a note or a report can quote.
 */
interface Event {
  seq?: number;
  type: string;
  step?: string;
  at: string;
  detail?: Record<string, unknown>;
}

/** The detail fields worth a line, in this order; dates as they are. */
const SHOWN = ['by', 'question', 'reason', 'extension', 'previousDueAt', 'dueAt', 'outcome', 'from', 'verdict', 'rule', 'ruleVersion', 'termEndsAt', 'because', 'was', 'steps', 'undone', 'notUndone', 'comment'];

function summary(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return SHOWN.filter((k) => detail[k] !== undefined && detail[k] !== null)
    .map((k) => `${k}=${typeof detail[k] === 'string' ? detail[k] : JSON.stringify(detail[k])}`)
    .join(' ');
}

const since = (start: number, at: string) => `+${((Date.parse(at) - start) / 1000).toFixed(1).padStart(5)}s`;

export function timelineText(journey: { id: string; timeline: Event[] }, messages: Array<{ category: string; createdAt?: string; subject?: string; title?: string }> = []): string {
  const start = Date.parse(journey.timeline[0]?.at ?? new Date().toISOString());
  const lines = journey.timeline.map((e) => [since(start, e.at), e.type.padEnd(32), (e.step ?? '').padEnd(8), summary(e.detail)].join(' ').trimEnd());
  const told = messages.map((m) => [m.createdAt ? since(start, m.createdAt) : '', m.category.padEnd(24), m.subject ?? m.title ?? ''].join(' ').trimEnd());
  return [`Journey ${journey.id}`, '', 'Timeline', ...lines, '', 'Messages to the citizen', ...told, ''].join('\n');
}
