import type { DataSource } from 'typeorm';
import { journeyWorkflowId } from '@levensloop/contracts/workflow';
import { connectClient } from '@levensloop/temporal';
import { recordHistory } from './histories';
import type { Api } from './http';
import { pollUntil } from './poll';
import { testTemporalConfig } from './temporal';

export interface TimelineRow {
  type: string;
  node_key: string;
  detail: any;
}

/**
 * What a test on the in-process gateway reads of a journey: its steps as an auditor sees them, and
 * its status, tasks and timeline as the read model holds them (`ds`); and a task completed once it is open.
 */
export function journeyProbe(ds: DataSource, auditor?: Api) {
  const stepOf = async (journey: string, node: string) => {
    if (!auditor) throw new Error('journeyProbe: steps are read as an auditor; give one');
    const res = await auditor.get(`/journeys/${journey}`);
    return res.status === 200 ? (res.body.steps as Array<{ key: string; status: string }>).find((s) => s.key === node) : undefined;
  };
  const taskRow = async (id: string) => (await ds.query(`SELECT status, agency, assignee FROM tasks WHERE id = $1`, [id]))[0];
  return {
    stepOf,
    waitStep: (journey: string, node: string, status: string) => pollUntil(`${node} ${status}`, async () => (await stepOf(journey, node))?.status === status),
    taskRow,
    timeline: async (journey: string) => (await ds.query(`SELECT type, node_key, detail FROM journey_events WHERE journey_id = $1 ORDER BY seq`, [journey])) as TimelineRow[],
    journeyStatus: async (journey: string) => (await ds.query(`SELECT status FROM journeys WHERE id = $1`, [journey]))[0]?.status,
    complete: async (api: Api, task: string, outcome = 'approve') => {
      await pollUntil(`task ${task} open`, async () => ['open', 'claimed'].includes((await taskRow(task))?.status));
      expect((await api.post(`/tasks/${task}/complete`, { outcome, comment: 'done' })).status).toBe(200);
    },
  };
}

/** With RECORD_HISTORIES, the journey's history becomes a fixture of the replay tests (see recordHistory). */
export async function recordJourney(name: string, journey: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const client = await connectClient(testTemporalConfig());
  await recordHistory(name, client.workflow.getHandle(journeyWorkflowId(journey)));
  await client.connection.close();
}

export type JourneyProbe = ReturnType<typeof journeyProbe>;
