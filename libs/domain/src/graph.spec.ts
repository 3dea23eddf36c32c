import { ancestorsOf, findCycles, topologicalOrder } from './graph';

const n = (key: string, ...dependsOn: string[]) => ({ key, dependsOn });

describe('graph helpers', () => {
  it('orders steps after their dependencies, ties in definition order', () => {
    expect(topologicalOrder([n('d', 'b', 'c'), n('c', 'a'), n('b', 'a'), n('a')])).toEqual(['a', 'c', 'b', 'd']);
    expect(topologicalOrder([n('x'), n('y', 'x'), n('z')])).toEqual(['x', 'y', 'z']);
    expect(topologicalOrder([n('y', 'x'), n('z'), n('x')])).toEqual(['z', 'x', 'y']);
  });

  it('leaves out steps in or after a cycle', () => {
    expect(topologicalOrder([n('a'), n('b', 'c'), n('c', 'b'), n('d', 'c'), n('e', 'e')])).toEqual(['a']);
  });

  it('finds one closed path per cycle, starting at the first node in definition order', () => {
    expect(findCycles([n('a', 'b'), n('b', 'a'), n('c', 'c'), n('d', 'e'), n('e', 'f'), n('f', 'd')])).toEqual([
      { members: ['a', 'b'], path: ['a', 'b', 'a'] },
      { members: ['d', 'e', 'f'], path: ['d', 'e', 'f', 'd'] },
    ]);
    expect(findCycles([n('a'), n('b', 'a')])).toEqual([]);
  });

  it('collects transitive dependencies', () => {
    expect([...ancestorsOf([n('a'), n('b', 'a'), n('c', 'b'), n('d')], 'c')].sort()).toEqual(['a', 'b']);
  });
});

describe('graph helpers: edges and odd input', () => {
  it('ignores unknown keys, duplicate dependencies and non-string entries; the first of duplicate nodes wins', () => {
    const nodes = [n('a'), { key: 'b', dependsOn: ['a', 'a', 'nope', 7 as never] }, n('a', 'b'), null as never, { key: 5 as never }, { key: 'c', dependsOn: 'a' as never }];
    expect(topologicalOrder(nodes)).toEqual(['a', 'b', 'c']);
    expect([...ancestorsOf(nodes, 'b')]).toEqual(['a']);
    expect(findCycles(nodes)).toEqual([]);
  });

  it('a node that only later becomes ready keeps its place in definition order among the ready ones', () => {
    // c becomes ready after a; b and d were ready from the start: a, b, c (definition order), d.
    expect(topologicalOrder([n('a'), n('b'), n('c', 'a'), n('d')])).toEqual(['a', 'b', 'c', 'd']);
    expect(topologicalOrder([n('c', 'a'), n('a'), n('b')])).toEqual(['a', 'c', 'b']);
    expect(topologicalOrder([n('e', 'a', 'b'), n('a'), n('b')])).toEqual(['a', 'b', 'e']);
  });

  it('the shortest closed path through a cycle, and every member of it in definition order', () => {
    // a → b → c → a, with a shortcut c → a and b → d → a: the shortest way back from a is a → b → d → a or a → b → c → a.
    const cycles = findCycles([n('a', 'b'), n('b', 'c', 'd'), n('c', 'a'), n('d', 'a'), n('e', 'a')]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0].members).toEqual(['a', 'b', 'c', 'd']);
    expect(cycles[0].path).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycles([n('x', 'y'), n('y', 'z', 'x'), n('z', 'y')])).toEqual([{ members: ['x', 'y', 'z'], path: ['x', 'y', 'x'] }]);
  });

  it('a self-dependency is no cycle here, and a node in a cycle is its own ancestor', () => {
    expect(findCycles([n('a', 'a')])).toEqual([]);
    expect([...ancestorsOf([n('a', 'b'), n('b', 'a')], 'a')].sort()).toEqual(['a', 'b']);
    expect([...ancestorsOf([n('a')], 'nope')]).toEqual([]);
  });
});
