// Demo journeys for `npm start`, started once (on an empty read model) through the same public
// routes anyone uses: a birth the national register reports (a proactive journey), a move the
// address register reports (another), "starting a business" for the sole trader, and the same
// for a person with no digital channel (a letter).
// Returns where to read what the demo people were told, for the banner.

async function json(res, what) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function seedDemoJourneys({ gatewayUrl, sandboxUrl, examples }) {
  const token = async (query) => (await json(await fetch(`${sandboxUrl}/oidc/dev-token?${query}`), 'dev token')).access_token;
  // Journeys are personal data: an auditor (not a catalog admin) may see whether any exist.
  const auditor = { authorization: `Bearer ${await token('role=auditor&sub=demo')}` };
  const existing = await json(await fetch(`${gatewayUrl}/journeys?limit=1`, { headers: auditor }), 'journeys');
  const [mother, father] = examples.flemishCouple.parents;
  const entrepreneur = examples.soleTrader.nationalNumber;
  const offline = examples.personWithoutContact;
  const mover = examples.elderlyPerson;
  const demo = { started: false, mother, entrepreneur, offline, mover };
  if (existing.items.length > 0) return demo; // kept from an earlier start

  await json(
    await fetch(`${sandboxUrl}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parents: [mother, father] }) }),
    'publish a birth',
  );
  // A move the address register reports: "moving house" starts by itself (an owner: the waste tax too).
  await json(
    await fetch(`${sandboxUrl}/_sandbox/events/moves`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: mover, postalCode: '9000', tenure: 'owner' }) }),
    'publish a move',
  );
  const start = async (who, bearer, subject, key, reason) =>
    json(
      await fetch(`${gatewayUrl}/journeys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ lifeEvent: { key: 'starting-a-business' }, subject: { type: 'person', id: subject }, data: { activity: { servesAlcohol: true } }, ...(reason ? { reason } : {}) }),
      }),
      `start a journey for ${who}`,
    );
  await start('the sole trader', await token(`role=citizen&nationalNumber=${entrepreneur}`), entrepreneur, 'demo-starting-a-business-sole-trader');
  // A caseworker starts for someone only with a reason (audited).
  await start('a person without e-mail or phone', await token('role=caseworker&agency=enterprise-counter&sub=demo-counter-clerk'), offline, 'demo-starting-a-business-offline', 'Came to the counter to start a business; has no e-mail or phone.');
  return { ...demo, started: true };
}

module.exports = { seedDemoJourneys };
