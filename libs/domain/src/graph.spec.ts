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
