import { describe, expect, it } from 'vitest';
import { armFormOf, armPatch, armProblems } from './arm-edit.ts';

describe('editing an arm', () => {
  const arms = [
    { arm_id: 'arm_a', arm_name: 'control', arm_description: 'as today' },
    { arm_id: 'arm_b', arm_name: 'reminder' },
  ];

  it('sends only what changed, trimmed', () => {
    const form = armFormOf(arms[1]!);
    expect(form).toEqual({ name: 'reminder', description: '' });
    expect(armPatch(arms[1]!, form)).toEqual({});
    expect(armPatch(arms[1]!, { name: ' weekly reminder ', description: '' })).toEqual({ name: 'weekly reminder' });
    expect(armPatch(arms[0]!, { name: 'control', description: '' })).toEqual({ description: '' });
  });

  it('wants a name no other arm has, within the server’s lengths', () => {
    expect(armProblems({ name: '  ', description: '' }, [arms[0]!])).toEqual({ name: 'Give the arm a name.' });
    expect(armProblems({ name: 'Control', description: '' }, [arms[0]!])).toEqual({ name: 'Another arm is already called “control”.' });
    expect(armProblems({ name: 'x'.repeat(101), description: 'y'.repeat(2001) }, [])).toEqual({
      name: 'The name is longer than 100 characters.',
      description: 'The description is longer than 2000 characters.',
    });
    expect(armProblems({ name: 'sms', description: '' }, [arms[0]!])).toEqual({});
  });
});
