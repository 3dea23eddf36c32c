import type { LifeEventSnapshot, StepState } from '@levensloop/domain';
import { currentJourneyAgencies, hasRoleNodes } from './routed-agencies';
import type { RoutedStep } from './routing';

type Node = LifeEventSnapshot['nodes'][number];
const def = (agency: string, key: string) => ({ agency, key, version: 1, kind: 'caseworker', titles: { nl: key } }) as unknown as Node['definition'];
const byCode = (key: string, agency: string): Node => ({ key, step: { agency, key, version: 1 }, definition: def(agency, key) });
const byRole = (key: string): Node => ({ key, step: { agencyRole: 'municipality', agency: 'municipality', key, version: 0 } as Node['step'], definition: def('municipality', key) });
const snapshot = (...nodes: Node[]): LifeEventSnapshot => ({ key: 'move', version: 1, audience: 'citizen', titles: { nl: 'Verhuis' }, nodes });
const step = (key: string, agency: string, status: StepState['status'] = 'pending'): StepState => ({ key, agency, kind: 'caseworker', status, attempts: 0 }) as StepState;
const routedTo = (agency: string, key: string) => ({ agency, definition: def(agency, key) }) as unknown as RoutedStep;

describe('currentJourneyAgencies', () => {
  const life = snapshot(byCode('vehicle', 'vehicle-register'), byRole('register'), byRole('waste-tax'));

  it('counts the placeholder while a role step waits to be routed or needs attention', () => {
    expect(hasRoleNodes(life)).toBe(true);
    expect(currentJourneyAgencies(life, { vehicle: step('vehicle', 'vehicle-register'), register: step('register', 'municipality'), 'waste-tax': step('waste-tax', 'municipality') }, undefined)).toEqual(['municipality', 'vehicle-register']);
    const steps = { vehicle: step('vehicle', 'vehicle-register'), register: step('register', 'gent', 'waiting'), 'waste-tax': step('waste-tax', 'municipality', 'needs_attention') };
    expect(currentJourneyAgencies(life, steps, { register: routedTo('gent', 'register') })).toEqual(['gent', 'municipality', 'vehicle-register']);
  });

  it('drops it once every role step is routed, or ended without routing (a false condition, a skip)', () => {
    const steps = { vehicle: step('vehicle', 'vehicle-register'), register: step('register', 'gent', 'completed'), 'waste-tax': step('waste-tax', 'gent') };
    expect(currentJourneyAgencies(life, steps, { register: routedTo('gent', 'register'), 'waste-tax': routedTo('gent', 'waste-tax') })).toEqual(['gent', 'vehicle-register']);
    const skipped = { ...steps, 'waste-tax': step('waste-tax', 'municipality', 'skipped') };
    expect(currentJourneyAgencies(life, skipped, { register: routedTo('gent', 'register') })).toEqual(['gent', 'vehicle-register']);
  });

  it('keeps municipality when a node names it by code', () => {
    const both = snapshot(byCode('permit', 'municipality'), byRole('register'));
    expect(currentJourneyAgencies(both, { permit: step('permit', 'municipality'), register: step('register', 'leuven') }, { register: routedTo('leuven', 'register') })).toEqual(['leuven', 'municipality']);
    expect(hasRoleNodes(snapshot(byCode('permit', 'municipality')))).toBe(false);
  });
});
