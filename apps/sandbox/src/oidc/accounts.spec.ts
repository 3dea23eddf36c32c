import { accountClaims, accountFromForm, accountFromId } from './accounts';
import { pageLanguage } from './page-messages';

const nameOf = (n: string) => (n === '85073003328' ? 'Jan Janssens' : undefined);

describe('the provider’s accounts', () => {
  it('reads the account an id names, with the claims the gateway reads', () => {
    const citizen = accountFromId('citizen:85073003328', nameOf)!;
    expect(accountClaims(citizen)).toEqual({ roles: ['citizen'], national_number: '85073003328', name: 'Jan Janssens' });
    expect(accountClaims(accountFromId('citizen:0123456749', nameOf)!)).toEqual({ roles: ['citizen'], enterprise_number: '0123456749' });
    expect(accountClaims(accountFromId('caseworker:municipality', nameOf)!)).toEqual({ roles: ['caseworker'], agency: 'municipality' });
    expect(accountClaims(accountFromId('auditor:dev', nameOf)!)).toEqual({ roles: ['auditor'] });
  });

  it('names no account for an id it did not make', () => {
    for (const id of ['source:national-register', 'citizen:123', 'auditor:someone', 'wizard:dev', 'caseworker:', ':dev', 'citizen', 'agency-admin:' + 'x'.repeat(201)]) {
      expect({ id, account: accountFromId(id, nameOf) }).toEqual({ id, account: undefined });
    }
  });

  it('takes a listed choice or someone else typed in, and names what is missing', () => {
    expect(accountFromForm({ identity: 'auditor:dev' }, nameOf).account).toMatchObject({ role: 'auditor' });
    expect(accountFromForm({ identity: 'other', role: 'citizen', number: '850.730-033 28' }, nameOf).account).toMatchObject({ role: 'citizen', nationalNumber: '85073003328', name: 'Jan Janssens' });
    expect(accountFromForm({}, nameOf).errors).toEqual(['choose']);
    expect(accountFromForm({ identity: 'source:x' }, nameOf).errors).toEqual(['choose']);
    expect(accountFromForm({ identity: 'other', role: 'source' }, nameOf).errors).toEqual(['role']);
    expect(accountFromForm({ identity: 'other', role: 'caseworker', agency: 'Bank!' }, nameOf).errors).toEqual(['agency']);
    expect(accountFromForm({ identity: 'other', role: 'citizen', number: '12' }, nameOf).errors).toEqual(['number']);
  });

  it('speaks the first asked language it knows, else English', () => {
    expect(pageLanguage('fr-BE nl', 'de')).toBe('fr');
    expect(pageLanguage(undefined, 'es-ES,de;q=0.8')).toBe('de');
    expect(pageLanguage('es', undefined)).toBe('en');
  });
});
