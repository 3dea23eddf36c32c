/** What the mail side says of one e-mail (after the gateway checked the report's signature and shape). */
export interface EmailReportStatus {
  status: 'delivered' | 'bounced';
  error?: string | null;
}

export interface EmailReportOutcome {
  status: 'delivered' | 'permanent_failure';
  error: string | null;
  /** The delivery statuses this report may settle. */
  from: string[];
}

/**
 * What a mail report makes of a delivery. SMTP's acceptance is recorded as delivered, so a bounce
 * (a hard bounce: the mailbox does not exist, the domain takes no mail) corrects a delivered
 * e-mail into a permanent failure; a delivered report settles one still in flight or failing.
 * A delivery already failed for good stays so (a second bounce changes nothing).
 */
export function emailReportOutcome(report: EmailReportStatus): EmailReportOutcome {
  if (report.status === 'delivered') return { status: 'delivered', error: null, from: ['sending', 'temporary_failure'] };
  return {
    status: 'permanent_failure',
    error: (report.error ?? 'the mail server reported the message as undeliverable (bounce)').slice(0, 1000),
    from: ['sending', 'temporary_failure', 'delivered'],
  };
}

/** A delivery's status after the mail reports received for it, in order; `changed`: the last one changes what it meets. */
export function statusAfterEmailReports(status: string, reports: readonly EmailReportStatus[]): { status: string; changed: boolean } {
  let changed = false;
  for (const report of reports) {
    const outcome = emailReportOutcome(report);
    changed = outcome.from.includes(status);
    if (changed) status = outcome.status;
  }
  return { status, changed };
}
