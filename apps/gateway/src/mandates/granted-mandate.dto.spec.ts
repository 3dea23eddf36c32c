import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GrantMandateDto, RevokeMandateDto } from './granted-mandate.dto';

const valid = { holder: { type: 'person', id: '85073003328' }, lifeEvents: ['birth-of-a-child'], access: 'act', validFrom: '2027-01-01', validUntil: '2028-01-01', reason: 'My accountant' };
const problems = (body: unknown) => validateSync(plainToInstance(GrantMandateDto, body)).map((e) => e.property).sort();

describe('GrantMandateDto', () => {
  it('accepts a grant for oneself and one for an enterprise, with all life events or some', () => {
    expect(problems(valid)).toEqual([]);
    expect(problems({ ...valid, lifeEvents: 'all', grantor: { type: 'enterprise', id: '0123456749' }, holder: { type: 'enterprise', id: '0987654321' } })).toEqual([]);
  });

  it('refuses a missing or malformed holder, grantor, scope, dates or reason', () => {
    expect(problems({})).toEqual(['access', 'holder', 'lifeEvents', 'reason', 'validFrom', 'validUntil']);
    expect(problems({ ...valid, holder: { type: 'person', id: '0123456749' } })).toEqual(['holder']);
    expect(problems({ ...valid, grantor: { type: 'person', id: '85073003328' } })).toEqual(['grantor']);
    expect(problems({ ...valid, lifeEvents: [] })).toEqual(['lifeEvents']);
    expect(problems({ ...valid, lifeEvents: ['Not A Key'] })).toEqual(['lifeEvents']);
    expect(problems({ ...valid, lifeEvents: Array.from({ length: 21 }, (_, i) => `event-${i}`) })).toEqual(['lifeEvents']);
    expect(problems({ ...valid, lifeEvents: 'some' })).toEqual(['lifeEvents']);
    expect(problems({ ...valid, access: 'own' })).toEqual(['access']);
    expect(problems({ ...valid, validFrom: 'next week', validUntil: '2028-13-01' })).toEqual(['validFrom', 'validUntil']);
    expect(problems({ ...valid, reason: 'ok' })).toEqual(['reason']);
    expect(problems({ ...valid, reason: 'x'.repeat(501) })).toEqual(['reason']);
  });

  it('a revocation needs a reason', () => {
    expect(validateSync(plainToInstance(RevokeMandateDto, {})).map((e) => e.property)).toEqual(['reason']);
    expect(validateSync(plainToInstance(RevokeMandateDto, { reason: 'No longer needed' }))).toEqual([]);
  });
});
