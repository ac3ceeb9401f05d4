import { describe, expect, it } from 'vitest';
import { takeSituation } from '../../../src/conversation/actions/registration-actions.ts';
import { fakeContext } from '../../support/fake-flow-context.ts';

const answer = (text: string, living: 'home' | 'away') => takeSituation.run({ text, data: { living }, ctx: fakeContext({ person: null }) });

describe('the family situation question of registration', () => {
  it('lists no "working away" choice: 3 is the left-behind, and working away comes from the question before', () => {
    expect(answer('3', 'home')).toEqual({ outcome: 'ok', set: { tags: ['left_behind'] } });
    expect(answer('1 3', 'away')).toEqual({ outcome: 'ok', set: { tags: ['elderly', 'left_behind', 'migrant'] } });
    expect(answer('没有', 'away')).toEqual({ outcome: 'ok', set: { tags: ['migrant'] } });
    expect(answer('0', 'home')).toEqual({ outcome: 'ok', set: { tags: [] } });
  });

  it('refuses a number that is no longer a choice', () => {
    expect(answer('4', 'home')).toEqual({ outcome: 'invalid' });
    expect(answer('四', 'home')).toEqual({ outcome: 'invalid' });
  });
});
