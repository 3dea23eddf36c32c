import { readRetentionConfig, RETENTION_DEFAULTS } from './retention';

describe('readRetentionConfig', () => {
  it('has defaults for every kind, the access log kept longer than the journey', () => {
    const { config, problems } = readRetentionConfig({});
    expect(problems).toEqual([]);
    expect(config).toEqual({ ...RETENTION_DEFAULTS, batchSize: 1000 });
    expect(config).toMatchObject({ journeys: 'P2Y', messages: 'P1Y', letters: 'P6M', dataAccessLog: 'P10Y', auditLog: 'P10Y', sourceEvents: 'P1Y', temporalHistory: 'P30D', every: 'P1D' });
  });

  it('takes ISO-8601 durations per kind and a batch size', () => {
    const { config, problems } = readRetentionConfig({ RETENTION_JOURNEYS: 'P1Y', RETENTION_LETTERS: 'P90D', RETENTION_TEMPORAL_HISTORY: 'P7D', RETENTION_EVERY: 'PT6H', RETENTION_BATCH: '250' });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ journeys: 'P1Y', letters: 'P90D', temporalHistory: 'P7D', every: 'PT6H', batchSize: 250 });
  });

  it('names what is wrong', () => {
    const { problems } = readRetentionConfig({ RETENTION_MESSAGES: '1 year', RETENTION_TEMPORAL_HISTORY: 'PT1H', RETENTION_DATA_ACCESS_LOG: 'P1Y', RETENTION_JOURNEYS: 'P2Y', RETENTION_BATCH: '0' });
    expect(problems).toEqual([
      'RETENTION_MESSAGES must be an ISO-8601 duration such as P2Y, P6M or P30D (got 1 year)',
      "RETENTION_TEMPORAL_HISTORY must be at least P1D, Temporal's minimum (got PT1H)",
      'RETENTION_DATA_ACCESS_LOG (P1Y) must not be shorter than RETENTION_JOURNEYS (P2Y): the access log outlives the journey',
      'RETENTION_BATCH must be an integer between 1 and 100000 (got 0)',
    ]);
  });
});

describe('RETENTION_DOCUMENTS', () => {
  it('defaults to the journeys term and may be shorter, never longer', () => {
    expect(readRetentionConfig({}).config.documents).toBe('P2Y');
    expect(readRetentionConfig({ RETENTION_JOURNEYS: 'P1Y' }).config.documents).toBe('P1Y');
    expect(readRetentionConfig({ RETENTION_DOCUMENTS: 'P1Y' })).toMatchObject({ config: { documents: 'P1Y' }, problems: [] });
    expect(readRetentionConfig({ RETENTION_DOCUMENTS: 'P3Y' }).problems).toEqual([
      'RETENTION_DOCUMENTS (P3Y) must not be longer than RETENTION_JOURNEYS (P2Y): documents go with their journey at the latest',
    ]);
  });
});
