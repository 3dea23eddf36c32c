import type { Api } from './http';

/** Titles in the four languages, each marked with its language but English. */
export const t = (en: string) => ({ nl: `${en} (nl)`, fr: `${en} (fr)`, de: `${en} (de)`, en });

const onOutcome = (node: string, result: string) => ({ '==': [{ var: `steps.${node}.outcome.result` }, result] });

/**
 * A decision of `agency`'s step `decision` and what its outcome chooses: `pay` after a grant,
 * `inform` after a refusal. Optional: a refusal does not block what comes after it.
 */
export function decideThenPayOrInform(agency: string, decision: string) {
  return [
    { key: 'decide', step: { agency, key: decision, version: 1 }, optional: true },
    { key: 'pay', step: { agency, key: 'pay', version: 1 }, dependsOn: ['decide'], condition: onOutcome('decide', 'approved') },
    { key: 'inform', step: { agency, key: 'inform', version: 1 }, dependsOn: ['decide'], condition: onOutcome('decide', 'rejected') },
  ];
}

/** Registers and publishes version 1 of a step of `agency` (titles from its key, a 10-day norm unless given); its registration. */
export async function publishStep(admin: Api, agency: string, body: Record<string, unknown>) {
  const created = await admin.post(`/agencies/${agency}/steps`, { titles: t(String(body.key)), serviceNorm: { target: 'P10D' }, ...body });
  expect(created.status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps/${body.key}/versions/1/publish`)).status).toBe(200);
  return created.body;
}

/** Registers and publishes version 1 of a citizen's life event of these nodes. */
export async function publishLifeEvent(admin: Api, key: string, nodes: unknown[]): Promise<void> {
  expect((await admin.post('/life-events', { key, audience: 'citizen', titles: t(key), nodes })).status).toBe(201);
  expect((await admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
}
