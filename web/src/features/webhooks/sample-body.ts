/**
 * An example body for an event type, made from the JSON Schema the server publishes for it, so the sample a
 * receiver's author sees always has the fields the server actually sends. Known ids come from the context
 * (the organization, the webhook); the others are labelled placeholders, never invented ids.
 *
 * @example
 *   sampleFromSchema(schema, { organizationId: 'o_1', now: new Date(0), origin: 'https://eq.example.org' });
 *   // { type: 'experiment.created', organization_id: 'o_1', experiment_id: 'exp_EXAMPLE', … }
 */
export interface SampleContext {
  readonly organizationId: string;
  readonly webhookId?: string;
  readonly now: Date;
  /** Base of `experiment_url` (the server's public URL). */
  readonly origin: string;
}

type Schema = Record<string, unknown>;

const ID_PLACEHOLDERS: Record<string, string> = {
  experiment_id: 'exp_EXAMPLE',
  datasource_id: 'ds_EXAMPLE',
  webhook_id: 'wh_EXAMPLE',
};

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first alternative that is not `null`, for `anyOf`/`oneOf` and `type: [..., 'null']`. */
function firstNonNull(schema: Schema): Schema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const pick = options.find((o) => isSchema(o) && o.type !== 'null');
      if (isSchema(pick)) return pick;
    }
  }
  return schema;
}

function stringFor(key: string, ctx: SampleContext): string {
  if (key === 'organization_id') return ctx.organizationId;
  if (key === 'webhook_id' && ctx.webhookId) return ctx.webhookId;
  if (key in ID_PLACEHOLDERS) return ID_PLACEHOLDERS[key]!;
  if (key === 'experiment_url') return `${ctx.origin}/v1/experiments/${ID_PLACEHOLDERS.experiment_id}`;
  if (key === 'timestamp' || /(_at|_date|_since)$/.test(key)) return ctx.now.toISOString();
  return `<${key || 'text'}>`;
}

/** An example value for `schema`; `key` is the property name it sits under (it picks placeholders). */
export function sampleFromSchema(schema: unknown, ctx: SampleContext, key = ''): unknown {
  if (!isSchema(schema)) return null;
  const s = firstNonNull(schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const props = isSchema(s.properties) ? s.properties : {};
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sampleFromSchema(v, ctx, k)]));
    }
    case 'array':
      return [sampleFromSchema(s.items, ctx, key.replace(/s$/, ''))];
    case 'string':
      return stringFor(key, ctx);
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return true;
    default:
      return null;
  }
}
