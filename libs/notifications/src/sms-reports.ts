/** What the SMS gateway says of one message (after the gateway checked the report's signature and shape). */
export interface SmsReportStatus {
  status: 'delivered' | 'failed';
  error?: string | null;
}

export interface SmsReportOutcome {
  status: 'delivered' | 'permanent_failure';
  error: string | null;
  /** The delivery statuses this report may settle. */
  from: string[];
}

/**
 * What a report makes of a delivery. A network's `failed` is final (the gateway already tried
 * within the network; the same message under the same key would not be sent again anyway).
 * `from`: the statuses the report may settle — a delivered report also corrects a failure the
 * dispatcher recorded when it lost the gateway's answer; a failure never undoes a delivery.
 */
export function reportOutcome(report: SmsReportStatus): SmsReportOutcome {
  if (report.status === 'delivered') return { status: 'delivered', error: null, from: ['sending', 'temporary_failure', 'permanent_failure'] };
  return { status: 'permanent_failure', error: (report.error ?? 'the SMS gateway reported the message as not delivered').slice(0, 1000), from: ['sending', 'temporary_failure'] };
}

/**
 * A delivery's status after the reports received for it, applied in the order they came in (the
 * dispatcher applies them so; the gateway answers the SMS gateway with what they will make of it).
 * `changed` tells whether the last report changes the status it meets.
 */
export function statusAfterReports(status: string, reports: readonly SmsReportStatus[]): { status: string; changed: boolean } {
  let changed = false;
  for (const report of reports) {
    const outcome = reportOutcome(report);
    changed = outcome.from.includes(status);
    if (changed) status = outcome.status;
  }
  return { status, changed };
}
