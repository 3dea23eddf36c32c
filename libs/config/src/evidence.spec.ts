import { readEvidenceConfig } from './evidence';

describe('EVIDENCE_PREVIEW_TERM', () => {
  it('defaults to an hour', () => {
    expect(readEvidenceConfig({})).toEqual({ config: { previewTerm: 'PT1H', previewTermMs: 3_600_000 }, problems: [] });
  });

  it('takes a duration from a minute to a week', () => {
    expect(readEvidenceConfig({ EVIDENCE_PREVIEW_TERM: 'P1D' }).config).toEqual({ previewTerm: 'P1D', previewTermMs: 86_400_000 });
    expect(readEvidenceConfig({ EVIDENCE_PREVIEW_TERM: 'PT1M' }).problems).toEqual([]);
  });

  it('refuses what is not a duration, or out of bounds, naming the variable', () => {
    for (const bad of ['soon', 'PT30S', 'P8D']) {
      expect(readEvidenceConfig({ EVIDENCE_PREVIEW_TERM: bad }).problems).toEqual([expect.stringMatching(/^EVIDENCE_PREVIEW_TERM must be .* \(got /)]);
    }
  });
});
