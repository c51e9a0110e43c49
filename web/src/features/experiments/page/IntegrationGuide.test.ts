import { describe, expect, it } from 'vitest';
import { curlFor } from './IntegrationGuide.tsx';

describe('curlFor', () => {
  it('turns a sample call into a runnable curl with shell variables for the placeholders', () => {
    const curl = curlFor(
      { label: 'Get assignment', method: 'GET', path: '/v1/experiments/exp_1/assignments/<participant-id>', headers: { 'X-API-Key': '<your-api-key>' } },
      'https://equipoise.example',
    );
    expect(curl).toBe('curl -s "https://equipoise.example/v1/experiments/exp_1/assignments/${PARTICIPANT_ID}" \\\n  -H "X-API-Key: ${EQUIPOISE_API_KEY}"');
  });

  it('quotes bodies for the shell', () => {
    const curl = curlFor(
      {
        label: 'With filters',
        method: 'POST',
        path: '/v1/experiments/exp_1/assignments/<participant-id>/assign_with_filters',
        headers: { 'X-API-Key': '<your-api-key>', 'Content-Type': 'application/json' },
        body: { properties: [{ field_name: 'name', value: "O'Brien" }] },
      },
      'http://localhost:8000',
    );
    expect(curl).toContain('curl -s -X POST "http://localhost:8000/v1/experiments/exp_1/assignments/${PARTICIPANT_ID}/assign_with_filters"');
    expect(curl).toContain(`-H 'Content-Type: application/json'`);
    expect(curl).toContain(`-d '{"properties":[{"field_name":"name","value":"O'\\''Brien"}]}'`);
  });
});
