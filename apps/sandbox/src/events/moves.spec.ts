import type { AddressInfo } from 'node:net';
import express from 'express';
import { startSandbox, type RunningSandbox } from '../app';
import { LandRegistry } from '../population/land-registry';
import { Population } from '../population/population';

/** A stand-in for the engine's POST /events: records what arrives. */
async function startReceiver() {
  const received: any[] = [];
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/cloudevents+json'] }));
  app.post('/events', (req, res) => {
    received.push(req.body);
    res.status(202).json({});
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('moving house in the sandbox', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sandbox: RunningSandbox;
  const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  /** The land registry's answer about a person, the way the engine calls it (with the address id the step read). */
  const ownership = async (nn: string, key: string) => {
    const addressId = sandbox.population.person(nn)!.addressId;
    const res = await post('/agencies/land-registry/ownership', { journeyId: 'j', step: 'ownership', subject: { type: 'person', id: nn }, data: {}, fields: { 'national-register': { address: { id: addressId } } } }, { 'idempotency-key': key });
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({ port: 0, eventsUrl: receiver.url, eventRetryDelaysMs: [10] });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('moves a person to the municipality asked and publishes the address register’s change of address; the registers answer the new address', async () => {
    const [mover, partner] = sandbox.population.examples().flemishCouple.parents;
    const before = sandbox.population.address(sandbox.population.person(mover)!.addressId)!;
    const res = await post('/_sandbox/events/moves', { person: mover, postalCode: '3000', tenure: 'owner' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.delivery).toEqual({ status: 202, attempts: 1 });
    expect(body.tenure).toBe('owner');
    expect(body.moved).toEqual(expect.arrayContaining([mover, partner]));
    const after = sandbox.population.person(mover)!.addressId;
    expect(after).not.toBe(before.id);
    expect(sandbox.population.addressRegisterRecord(after)).toMatchObject({ municipalityCode: '24062', municipality: 'Leuven', postalCode: '3000' });
    expect(body.event).toEqual({
      specversion: '1.0',
      id: expect.any(String),
      source: 'address-register',
      type: 'be.address-register.address.changed',
      subject: mover,
      time: expect.any(String),
      datacontenttype: 'application/json',
      data: {
        person: { nationalNumber: mover },
        address: { municipalityCode: '24062', postalCode: '3000', street: body.address.street, houseNumber: body.address.houseNumber },
        previousMunicipalityCode: before.municipalityCode,
        movedOn: new Date().toISOString().slice(0, 10),
      },
    });
    expect(body.address).toMatchObject({ id: after, municipality: 'Leuven' });
    expect(receiver.received).toEqual([body.event]);
    // Both partners own the new home; the child does not.
    expect((await ownership(mover, 'own-1')).owner).toBe(true);
    expect((await ownership(partner, 'own-2')).owner).toBe(true);
    const [child] = sandbox.population.examples().flemishCouple.children;
    expect((await ownership(child, 'own-3')).owner).toBe(false);
  });

  it('records a tenant as no owner, and picks a real adult and another municipality when nothing is given', async () => {
    const [tenant] = sandbox.population.examples().singleParent.parents;
    const rented = (await (await post('/_sandbox/events/moves', { person: tenant, tenure: 'tenant', deliver: false })).json()) as any;
    expect(rented.delivery).toBeNull();
    expect(rented.address.municipalityCode).not.toBe(rented.previousAddress.municipalityCode);
    expect((await ownership(tenant, 'rent-1')).owner).toBe(false);

    const picked = (await (await post('/_sandbox/events/moves')).json()) as any;
    const person = sandbox.population.person(picked.event.subject)!;
    expect(person.birthDate <= `${new Date().getUTCFullYear() - 18}-12-31`).toBe(true);
    expect(person.addressId).toBe(picked.address.id);
    expect(['owner', 'tenant']).toContain(picked.tenure);
    expect(receiver.received.map((e) => e.id)).toEqual([picked.event.id]);
  });

  it('refuses bad moves with problem+json and an unknown person with 404', async () => {
    const bad = await post('/_sandbox/events/moves', { person: '123', postalCode: '9999', tenure: 'squatter', when: 'now' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bad.json()) as any).errors).toEqual([expect.stringContaining('Unknown field "when"')]);
    const fields = (await (await post('/_sandbox/events/moves', { person: '123', postalCode: '9999', tenure: 'squatter' })).json()) as any;
    expect(fields.errors).toEqual([expect.stringContaining('person must be'), expect.stringContaining('postalCode must be'), expect.stringContaining('tenure must be')]);
    expect((await post('/_sandbox/events/moves', { person: '00000000000' })).status).toBe(404);
    expect(receiver.received).toEqual([]);
  });

  it('has the vehicle register update the address with its own answer, once per idempotency key', async () => {
    const [nn] = sandbox.population.examples().walloonCouple.parents;
    const call = () => post('/agencies/vehicle-register/update-address', { journeyId: 'j', step: 'vehicle-register', subject: { type: 'person', id: nn }, data: {} }, { 'idempotency-key': 'veh-1' });
    const first = (await (await call()).json()) as any;
    expect(first).toEqual({ status: 'done', reference: expect.stringMatching(/^VEH-[0-9A-F]{10}$/), vehiclesUpdated: expect.any(Number), registrationCertificateSent: first.vehiclesUpdated > 0 });
    expect(first.vehiclesUpdated).toBeGreaterThanOrEqual(0);
    expect(first.vehiclesUpdated).toBeLessThanOrEqual(2);
    const again = await call();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first);
    expect(sandbox.simulator.summary({ agency: 'vehicle-register' })).toEqual([expect.objectContaining({ effective: 1, replayed: 1 })]);
  });
});

describe('the land registry', () => {
  const population = new Population({ persons: 2000, enterprises: 10 });
  const registry = new LandRegistry(population);
  const homes = [...new Set([...population.allPersons()].map((p) => p.addressId))];

  it('has about seven households in ten own their home, owned by the adults and never by their children', () => {
    const owned = homes.filter((id) => registry.owners(id).length > 0);
    expect(owned.length / homes.length).toBeGreaterThan(0.6);
    expect(owned.length / homes.length).toBeLessThan(0.8);
    for (const id of owned) {
      for (const owner of registry.owners(id)) {
        const person = population.person(owner)!;
        expect(person.addressId).toBe(id);
        expect(person.parents.some((p) => registry.owners(id).includes(p))).toBe(false);
      }
    }
  });

  it('records a move: owners who live there, or nobody for a rented home; the default tenure is stable', () => {
    registry.record('new-1', 'owner', ['a', 'b']);
    registry.record('new-2', 'tenant', ['c']);
    expect(registry.owners('new-1')).toEqual(['a', 'b']);
    expect(registry.owns('c', 'new-2')).toBe(false);
    expect(registry.owners('no-such-address')).toEqual([]);
    const tenures = homes.slice(0, 200).map((id) => registry.defaultTenure('85073003328', id));
    expect(tenures).toEqual(homes.slice(0, 200).map((id) => registry.defaultTenure('85073003328', id)));
    expect(new Set(tenures)).toEqual(new Set(['owner', 'tenant']));
  });
});
