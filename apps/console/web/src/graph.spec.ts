import { layoutGraph, wrapText } from './graph';

describe('life event graph layout', () => {
  it('puts each step one column after its latest dependency, parallel steps in rows', () => {
    const layout = layoutGraph([
      { key: 'register' },
      { key: 'vat', dependsOn: ['register'] },
      { key: 'bank', dependsOn: ['register'] },
      { key: 'support', dependsOn: ['vat', 'bank'] },
    ]);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.key, [n.column, n.row]]));
    expect(at).toEqual({ register: [0, 0], vat: [1, 0], bank: [1, 1], support: [2, 0] });
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['register>vat', 'register>bank', 'vat>support', 'bank>support']);
    expect(layout.width).toBe(8 * 2 + 3 * 176 + 2 * 44);
    expect(layout.height).toBe(8 * 2 + 2 * 64 + 16);
  });

  it('ignores unknown dependencies and survives a cycle', () => {
    const layout = layoutGraph([{ key: 'a', dependsOn: ['b', 'ghost'] }, { key: 'b', dependsOn: ['a'] }]);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges).toHaveLength(2);
  });

  it('wraps titles into at most two lines', () => {
    expect(wrapText('Open a business bank account', 16)).toEqual(['Open a business', 'bank account']);
    expect(wrapText('Licence to serve alcohol in the municipality of Gent', 12)).toEqual(['Licence to', 'serve…']);
  });
});
