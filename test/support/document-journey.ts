import type { Api } from './http';

/** Titles in the four languages from a Dutch one (the document suites' catalog). */
export const dutchTitles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });

/**
 * The document suites' life event `lifeEvent` of `agency`: a citizen step `proofStep` (node `proof`)
 * asking for `documents`, then a caseworker's review; both steps and the life event published as version 1.
 */
export async function publishProofThenReview(admin: Api, agency: string, options: { proofStep: string; proofTitle: string; lifeEvent: string; lifeEventTitle: string; documents: unknown[] }): Promise<void> {
  const { proofStep, proofTitle, lifeEvent, lifeEventTitle, documents } = options;
  for (const step of [
    { key: proofStep, kind: 'citizen', titles: dutchTitles(proofTitle), serviceNorm: { target: 'P14D' }, documents },
    { key: 'review', kind: 'caseworker', titles: dutchTitles('Nakijken'), serviceNorm: { target: 'P10D' } },
  ]) {
    expect((await admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${step.key}/versions/1/publish`)).status).toBe(200);
  }
  const created = await admin.post('/life-events', {
    key: lifeEvent,
    audience: 'citizen',
    titles: dutchTitles(lifeEventTitle),
    nodes: [
      { key: 'proof', step: { agency, key: proofStep, version: 1 } },
      { key: 'review', step: { agency, key: 'review', version: 1 }, dependsOn: ['proof'] },
    ],
  });
  expect(created.status).toBe(201);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
}
