import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOURNEY_STATUSES, LANGUAGES, STEP_KINDS, STEP_STATUSES, TIMELINE_TYPES, VERSION_STATUSES } from '@levensloop/domain';
import { CHANNELS, DELIVERY_STATUSES } from '@levensloop/notifications';

const dir = path.join(__dirname, '..', 'messages');
const catalogs = Object.fromEntries(['nl', 'fr', 'de', 'en'].map((l) => [l, JSON.parse(fs.readFileSync(path.join(dir, `${l}.json`), 'utf8')) as Record<string, string>]));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const sources = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(d, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.spec.ts') ? [path.join(d, e.name)] : []));

describe('console message catalogs', () => {
  it('have the same keys in nl, fr, de and en, none empty, with the same placeholders', () => {
    const keys = Object.keys(catalogs.en).sort();
    for (const [lang, messages] of Object.entries(catalogs)) {
      expect({ lang, keys: Object.keys(messages).sort() }).toEqual({ lang, keys });
      for (const key of keys) {
        expect({ lang, key, empty: !messages[key].trim() }).toEqual({ lang, key, empty: false });
        expect({ lang, key, placeholders: placeholders(messages[key]) }).toEqual({ lang, key, placeholders: placeholders(catalogs.en[key]) });
      }
    }
  });

  it('hold every key the pages ask for', () => {
    const used = new Set<string>();
    for (const file of sources(__dirname)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.add(m[1]);
    }
    for (const s of STEP_STATUSES) used.add(`step.status.${s}`);
    for (const s of JOURNEY_STATUSES) used.add(`journey.status.${s}`);
    for (const type of TIMELINE_TYPES) used.add(`timeline.${type}`);
    for (const s of ['open', 'claimed', 'completed', 'cancelled']) used.add(`task.status.${s}`);
    for (const s of DELIVERY_STATUSES) used.add(`delivery.${s}`);
    for (const c of CHANNELS) used.add(`channel.${c}`);
    // What the preferences page says a channel still needs (every channel of the registry has its line).
    for (const c of CHANNELS) used.add(`me.channelNeeds.${c}`);
    for (const l of LANGUAGES) used.add(`language.${l}`);
    for (const k of STEP_KINDS) used.add(`catalog.kind.${k}`);
    for (const s of VERSION_STATUSES) used.add(`catalog.status.${s}`);
    for (const k of ['sole-trader', 'parent', 'single-parent', 'no-contact', 'elderly', 'enterprise']) used.add(`signIn.kind.${k}`);
    expect([...used].filter((k) => !(k in catalogs.en)).sort()).toEqual([]);
  });
});
