import { describe, expect, it } from 'vitest';
import { apiErrorFrom, describeError } from './errors.ts';

describe('apiErrorFrom', () => {
  it('keeps field paths from a 422 without the body prefix', () => {
    const err = apiErrorFrom(422, { detail: [{ loc: ['body', 'arms', 0, 'arm_name'], msg: 'Field required', type: 'missing' }] });
    expect(err.fieldMessage('arms.0.arm_name')).toBe('Field required');
    expect(err.message).toBe('arms.0.arm_name: Field required');
  });

  it('reads the detail and message shapes, and says something useful for empty bodies', () => {
    expect(apiErrorFrom(404, { detail: 'Experiment not found.' }).message).toBe('Experiment not found.');
    expect(apiErrorFrom(403, { message: 'API key invalid.' }).message).toBe('API key invalid.');
    expect(apiErrorFrom(502, undefined).message).toMatch(/server failed/);
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/Cannot reach/);
  });
});
