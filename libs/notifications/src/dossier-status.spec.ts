import { dossierActionNeeded, dossierPhase, dossierStatusCode, pick, type DossierView } from './dossier-status';

const step = (kind: string, status: string, nl = 'S') => ({ kind, status, title: { nl, en: `${nl} (en)` } });
const view = (journeyStatus: string, steps: DossierView['steps'], citizenTasks: DossierView['citizenTasks'] = []): DossierView => ({ journeyStatus, steps, citizenTasks });

describe('the dossier status code', () => {
  it('the journey’s end wins over open tasks', () => {
    expect(dossierStatusCode(view('completed', [step('citizen', 'waiting')], [{ nl: 'T' }]))).toBe('completed');
    expect(dossierStatusCode(view('cancelled', [step('decision', 'completed')]))).toBe('stopped');
  });

  it('received until a step got done or a person is at work', () => {
    expect(dossierStatusCode(view('running', []))).toBe('received');
    expect(dossierStatusCode(view('running', [step('automatic', 'waiting'), step('automatic', 'pending')]))).toBe('received');
    expect(dossierStatusCode(view('running', [step('automatic', 'running')]))).toBe('received');
  });

  it('in progress once a step is skipped or completed, a person’s step waits, or one needs attention', () => {
    for (const s of [step('automatic', 'skipped'), step('automatic', 'completed'), step('caseworker', 'waiting'), step('citizen', 'waiting'), step('automatic', 'needs_attention')]) {
      expect([s, dossierStatusCode(view('running', [s, step('automatic', 'running')]))]).toEqual([s, 'in_progress']);
    }
  });

  it('decided only when a decision completed and nothing is under way (running, waiting or needing attention)', () => {
    expect(dossierStatusCode(view('running', [step('decision', 'completed'), step('automatic', 'skipped')]))).toBe('decided');
    for (const busy of ['running', 'waiting', 'needs_attention']) {
      expect([busy, dossierStatusCode(view('running', [step('decision', 'completed'), step('caseworker', busy)]))]).toEqual([busy, 'in_progress']);
    }
    expect(dossierStatusCode(view('running', [step('decision', 'skipped')]))).toBe('in_progress');
    expect(dossierStatusCode(view('running', [step('caseworker', 'completed')]))).toBe('in_progress');
  });
});

describe('the phase and the action text', () => {
  it('lists the steps under way in order, in the reader’s language, Dutch when it has none', () => {
    const v = view('running', [step('automatic', 'needs_attention', 'A'), step('automatic', 'pending', 'B'), { kind: 'citizen', status: 'waiting', title: { nl: 'C' } }, step('automatic', 'completed', 'D')]);
    expect(dossierPhase(v, 'en')).toBe('A (en), C');
    expect(dossierPhase(view('running', []), 'en')).toBe('');
  });

  it('names each open citizen task after the request, per language', () => {
    const v = view('running', [], [{ nl: 'Toestemming', fr: 'Consentement', de: 'Einwilligung' }, { nl: 'Bewijs' }]);
    expect(dossierActionNeeded(v, 'nl')).toEqual({ flag: true, text: 'Wij hebben iets van u nodig: Toestemming, Bewijs' });
    expect(dossierActionNeeded(v, 'fr')).toEqual({ flag: true, text: 'Nous avons besoin de vous: Consentement, Bewijs' });
    expect(dossierActionNeeded(v, 'de')).toEqual({ flag: true, text: 'Wir brauchen etwas von Ihnen: Einwilligung, Bewijs' });
  });

  it('pick: the language asked, else Dutch, nothing for no text', () => {
    expect(pick({ nl: 'n', en: 'e' }, 'en')).toBe('e');
    expect(pick({ nl: 'n' }, 'fr')).toBe('n');
    expect(pick(undefined, 'nl')).toBe('');
  });
});
