import { describe, expect, it } from 'vitest';
import { partitionCuts, resolveNodes, type ClusterView } from './cluster-faults.js';
import { partitionSchema } from './schema.js';

const view = (leader: string | undefined, pick = 0): ClusterView => ({ cluster: 'kafka3', leader: async () => leader, pick: () => pick });
const cuts = async (spec: unknown, v = view('n2')) => partitionCuts(partitionSchema.parse(spec), v);

describe('cluster fault shapes', () => {
  it('resolves leader, followers, random-node and names when the fault starts', async () => {
    expect(await resolveNodes('leader', view('n2'))).toEqual(['n2']);
    expect(await resolveNodes('followers', view('n2'))).toEqual(['n1', 'n3']);
    expect(await resolveNodes('random-node', view(undefined, 2))).toEqual(['n3']);
    expect(await resolveNodes('n1', view(undefined))).toEqual(['n1']);
    await expect(resolveNodes('leader', view(undefined))).rejects.toThrow(/no node of kafka3 answers with a leader/);
  });

  it('isolate leader cuts both ways between it and the rest; one-way cuts only its outgoing packets', async () => {
    expect(await cuts({ isolate: 'leader' })).toEqual({
      side: ['n2'],
      cuts: [
        ['n2', 'n1'],
        ['n1', 'n2'],
        ['n2', 'n3'],
        ['n3', 'n2'],
      ],
    });
    expect((await cuts({ isolate: 'leader', direction: 'one-way' })).cuts).toEqual([
      ['n2', 'n1'],
      ['n2', 'n3'],
    ]);
  });

  it('between two sets, selectors expanded', async () => {
    expect((await cuts({ between: [['leader'], ['followers']], direction: 'one-way' })).cuts).toEqual([
      ['n2', 'n1'],
      ['n2', 'n3'],
    ]);
    expect((await cuts({ between: [['n1'], ['n3']] })).cuts).toEqual([
      ['n1', 'n3'],
      ['n3', 'n1'],
    ]);
  });

  it('majorities ring: each node hears itself and the next, no two the same majority', async () => {
    const { cuts: c } = await cuts({ 'majorities-ring': true });
    expect(c).toEqual([
      ['n3', 'n1'],
      ['n1', 'n2'],
      ['n2', 'n3'],
    ]);
    const hears = (n: string) => ['n1', 'n2', 'n3'].filter((m) => !c.some(([from, to]) => from === m && to === n));
    expect(new Set(['n1', 'n2', 'n3'].map((n) => hears(n).join()))).toEqual(new Set(['n1,n2', 'n2,n3', 'n1,n3']));
  });

  it('one shape per partition', () => {
    expect(() => partitionSchema.parse({ isolate: 'n1', between: [['n1'], ['n2']] })).toThrow(/one shape per partition/);
    expect(() => partitionSchema.parse({ mode: 'prohibit' })).toThrow(/needs one of/);
  });
});
