import { describe, expect, it } from 'vitest';
import { sampleFromSchema } from './sample-body.ts';

// Two schemas as `GET /v1/m/webhook-event-types` serves them (zod's JSON Schema output, trimmed of $schema).
const EXPERIMENT_CREATED = {
  type: 'object',
  properties: {
    type: { type: 'string', const: 'experiment.created' },
    organization_id: { type: 'string' },
    datasource_id: { type: 'string' },
    experiment_id: { type: 'string' },
    experiment_url: { type: 'string' },
  },
  required: ['type', 'organization_id', 'datasource_id', 'experiment_id', 'experiment_url'],
  additionalProperties: false,
};
const ENDPOINT_DISABLED = {
  type: 'object',
  properties: {
    type: { type: 'string', const: 'webhook.endpoint_disabled' },
    timestamp: { type: 'string' },
    organization_id: { type: 'string' },
    data: {
      type: 'object',
      properties: {
        webhook_id: { type: 'string' },
        reason: { type: 'string', enum: ['gone', 'failing'] },
        failing_since: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        changed_fields: { type: 'array', items: { type: 'string' } },
        count: { type: 'integer' },
        details: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} },
      },
    },
  },
};

const ctx = { organizationId: 'o_real', webhookId: 'wh_real', now: new Date('2026-03-01T12:00:00Z'), origin: 'https://eq.example.org' };

describe('sampleFromSchema', () => {
  it('fills the flat experiment.created body with the real organization and labelled placeholders', () => {
    expect(sampleFromSchema(EXPERIMENT_CREATED, ctx)).toEqual({
      type: 'experiment.created',
      organization_id: 'o_real',
      datasource_id: 'ds_EXAMPLE',
      experiment_id: 'exp_EXAMPLE',
      experiment_url: 'https://eq.example.org/v1/experiments/exp_EXAMPLE',
    });
  });

  it('walks envelopes: consts, first enum value, nullable alternatives, times, arrays, numbers and open objects', () => {
    expect(sampleFromSchema(ENDPOINT_DISABLED, ctx)).toEqual({
      type: 'webhook.endpoint_disabled',
      timestamp: '2026-03-01T12:00:00.000Z',
      organization_id: 'o_real',
      data: {
        webhook_id: 'wh_real',
        reason: 'gone',
        failing_since: '2026-03-01T12:00:00.000Z',
        changed_fields: ['<changed_field>'],
        count: 0,
        details: {},
      },
    });
  });

  it('uses a placeholder id for the webhook when none is known, and null for what it cannot read', () => {
    expect(sampleFromSchema({ type: 'object', properties: { webhook_id: { type: 'string' }, odd: { not: {} } } }, { ...ctx, webhookId: undefined as never })).toEqual({
      webhook_id: 'wh_EXAMPLE',
      odd: null,
    });
    expect(sampleFromSchema(undefined, ctx)).toBeNull();
  });
});
