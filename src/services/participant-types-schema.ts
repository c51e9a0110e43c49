/**
 * Request shapes of participant types (spec §3.3): a participant type names a warehouse table and
 * annotates its columns (unique id, filter, strata, metric) for the design pickers of the UI.
 */
import { z } from 'zod';
import { FIELD_NAME } from '../domain/design-spec.ts';

const TRUTHY = new Set(['true', 't', 'yes', 'y', '1', 'on']);
const FALSY = new Set(['false', 'f', 'no', 'n', '0', 'off', '']);

/** A boolean that also accepts the reference's truthy strings ("true", "t", "yes", "y", "1"…). */
const flag = z
  .union([z.boolean(), z.string()])
  .default(false)
  .superRefine((v, ctx) => {
    if (typeof v === 'string' && !TRUTHY.has(v.toLowerCase()) && !FALSY.has(v.toLowerCase())) {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a boolean` });
    }
  })
  .transform((v) => (typeof v === 'boolean' ? v : TRUTHY.has(v.toLowerCase())));

export const FieldDescriptorSchema = z
  .object({
    field_name: z.string().min(1).max(255).regex(FIELD_NAME, 'must start with a letter or underscore and contain only letters, digits and underscores'),
    /** Filled from the live table on create when left out. */
    data_type: z.string().max(100).nullish(),
    description: z.string().max(2000).nullish().transform((d) => d ?? ''),
    is_unique_id: flag,
    is_strata: flag,
    is_filter: flag,
    is_metric: flag,
    /** Deprecated in the reference; kept as given. */
    extra: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict();

export type FieldDescriptorInput = z.output<typeof FieldDescriptorSchema>;

/** At least one field, unique names, at most one unique id — reported at the offending field. */
const fieldList = z
  .array(FieldDescriptorSchema)
  .min(1)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      if (seen.has(f.field_name)) ctx.addIssue({ code: 'custom', path: [i, 'field_name'], message: `duplicate field name '${f.field_name}'` });
      seen.add(f.field_name);
    });
    const ids = fields.flatMap((f, i) => (f.is_unique_id ? [i] : []));
    for (const i of ids.slice(1)) ctx.addIssue({ code: 'custom', path: [i, 'is_unique_id'], message: 'at most one field may be the unique id' });
  });

const tableName = z.string().min(1).max(100).regex(FIELD_NAME, 'must be a plain table name');
const participantTypeName = z.string().trim().min(1).max(100);

export const CreateParticipantTypeSchema = z
  .object({
    participant_type: participantTypeName,
    schema_def: z.object({ table_name: tableName, fields: fieldList }).strict(),
  })
  .strict();

export const UpdateParticipantTypeSchema = z
  .object({ participant_type: participantTypeName.optional(), table_name: tableName.optional(), fields: fieldList.optional() })
  .strict();

export type CreateParticipantType = z.output<typeof CreateParticipantTypeSchema>;
export type UpdateParticipantType = z.output<typeof UpdateParticipantTypeSchema>;
