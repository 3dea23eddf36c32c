import { SourceRequestError, SourceUnavailableError } from './errors';
import { loggedRead, type AccessLogEntry } from './logged-read';

describe('a register read on record', () => {
  const recorder = () => {
    const rows: string[] = [];
    const log: AccessLogEntry = async (outcome, requestId, reason) => {
      rows.push([outcome, requestId, reason].filter(Boolean).join(' '));
      return String(rows.length);
    };
    return { rows, log };
  };

  it('is logged as requested before the call and granted after it, pointing at the request', async () => {
    const { rows, log } = recorder();
    const value = await loggedRead(log, async () => {
      rows.push('read');
      return 42;
    });
    expect(value).toBe(42);
    expect(rows).toEqual(['requested', 'read', 'granted 1']);
  });

  it('a refusal by the register (4xx) is refused-by-source, anything else failed; the error is thrown again', async () => {
    for (const [err, outcome] of [
      [new SourceRequestError('refused with 403', 403), 'refused-by-source'],
      [new SourceUnavailableError('not reachable'), 'failed'],
      // Only the class counts, not a name that looks like it.
      [Object.assign(new Error('lookalike'), { name: 'SourceRequestError' }), 'failed'],
    ] as const) {
      const { rows, log } = recorder();
      await expect(loggedRead(log, () => Promise.reject(err))).rejects.toBe(err);
      expect(rows).toEqual(['requested', `${outcome} 1 ${err.message}`]);
    }
  });

  it('the read error is thrown even when its outcome cannot be written', async () => {
    const err = new SourceUnavailableError('down');
    const log: AccessLogEntry = async (outcome) => {
      if (outcome !== 'requested') throw new Error('the database is gone');
      return '1';
    };
    await expect(loggedRead(log, () => Promise.reject(err))).rejects.toBe(err);
  });
});
