import { reportOutcome, statusAfterReports } from './sms-reports';

describe('SMS delivery reports', () => {
  test('the outcome of a report: delivered settles and corrects a failure; failed never undoes a delivery', () => {
    expect(reportOutcome({ status: 'delivered' })).toEqual({ status: 'delivered', error: null, from: ['sending', 'temporary_failure', 'permanent_failure'] });
    expect(reportOutcome({ status: 'failed' })).toEqual({ status: 'permanent_failure', error: 'the SMS gateway reported the message as not delivered', from: ['sending', 'temporary_failure'] });
    expect(reportOutcome({ status: 'failed', error: 'x'.repeat(2000) }).error).toHaveLength(1000);
  });

  test('reports applied in order: the status they leave and whether the last one changed it', () => {
    expect(statusAfterReports('sending', [{ status: 'delivered' }])).toEqual({ status: 'delivered', changed: true });
    expect(statusAfterReports('sending', [{ status: 'delivered' }, { status: 'failed' }])).toEqual({ status: 'delivered', changed: false });
    expect(statusAfterReports('sending', [{ status: 'failed' }, { status: 'delivered' }])).toEqual({ status: 'delivered', changed: true });
    expect(statusAfterReports('delivered', [{ status: 'delivered' }])).toEqual({ status: 'delivered', changed: false });
    expect(statusAfterReports('expired', [{ status: 'delivered' }])).toEqual({ status: 'expired', changed: false });
    expect(statusAfterReports('temporary_failure', [{ status: 'failed' }])).toEqual({ status: 'permanent_failure', changed: true });
    expect(statusAfterReports('queued', [])).toEqual({ status: 'queued', changed: false });
  });
});
