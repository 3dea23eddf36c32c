export interface HandwrittenInput {
  journeyId: string;
  endpoints: string[];
  subject: { type: 'person'; id: string };
}

export interface BenchActivities {
  noop(): Promise<void>;
  recordJourney(input: { journeyId: string; status: 'running' | 'completed'; steps: number; seq: number }): Promise<void>;
  callAndRecord(input: { journeyId: string; step: string; endpoint: string; subject: { type: 'person'; id: string } }): Promise<void>;
}
