/**
 * A journey whose life event names a node by agency role belongs to the agencies its steps were
 * routed to: every projection carries the journey's agencies as they stand now (the read model
 * takes them as they are), and `LevensloopAgencies` follows when they change, so the role's
 * placeholder agency (`municipality`) stops seeing the journey once its steps are routed (see
 * `currentJourneyAgencies`). Guarded by `patched('16V-routed-agencies')`, asked only for a life
 * event with a role node (no recorded history has one).
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, currentJourneyAgencies, hasRoleNodes, journeyAgencies } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';

export class RoutedAgencies {
  private readonly tracked: boolean;
  /** What visibility holds: the start's search attributes, then the last upsert. */
  private last: string;

  constructor(private readonly run: JourneyRun) {
    this.tracked = hasRoleNodes(run.snapshot);
    this.last = journeyAgencies(run.snapshot).join(' ');
  }

  /** The journey's agencies now (for the projection), or undefined for a journey without role nodes. */
  take(): string[] | undefined {
    if (!this.tracked || !patched('16V-routed-agencies')) return undefined;
    const { snapshot, state } = this.run;
    const agencies = currentJourneyAgencies(snapshot, state.steps, state.routed);
    const key = agencies.join(' ');
    if (key !== this.last) {
      this.last = key;
      upsertSearchAttributes({ [SEARCH_ATTRIBUTES.agencies.name]: agencies });
    }
    return agencies;
  }
}
