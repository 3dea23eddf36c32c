import { isJourneyId, type Db } from './db';

/** What access decisions and the transparency endpoints need of a journey. */
export interface JourneyFactsRow {
  subject_type: string;
  subject_id: string;
  agencies: string[];
  status: string;
  life_event_key: string;
  life_event_version: number;
}

/** The few columns of a journey's read-model row that decide who may see it (the projection writes the row). */
export class JourneyFacts {
  constructor(private readonly db: Db) {}

  /** Undefined for an id that is not a journey's (also when it is no uuid at all). */
  async find(journeyId: string): Promise<JourneyFactsRow | undefined> {
    if (!isJourneyId(journeyId)) return undefined;
    const rows: JourneyFactsRow[] = await this.db.query(
      `SELECT subject_type, subject_id, agencies, status, life_event_key, life_event_version FROM journeys WHERE id = $1`,
      [journeyId],
    );
    return rows[0];
  }
}
