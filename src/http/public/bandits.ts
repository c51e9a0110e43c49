/**
 * The public bandit routes (`X-API-Key`, scope `assign`), with the reference's paths and bodies (§1.3 #7, #8):
 * contextual-bandit draws with the participant's context, and outcomes. MAB and MAB-DWH draws go through the
 * plain `GET …/assignments/{participant_id}` of `experiments.ts`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { assignCmabParticipant } from '../../services/bandits/draw-arm.ts';
import { recordOutcome } from '../../services/bandits/record-outcome.ts';
import { MAX_SEED } from '../../stats/random.ts';
import type { AppEnv } from '../app-env.ts';
import { booleanQuery, errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';
import { ArmBanditSchema, BanditAssignmentSchema, CmabContextInputRequestSchema } from './bandit-schemas.ts';
import { jsonWithoutContentType } from './experiments.ts';

const TAG = 'Experiment Integration';
const security = [{ APIKeyHeader: [] }];
const ParticipantParams = z.object({
  experiment_id: z.string().openapi({ param: { name: 'experiment_id', in: 'path' } }),
  participant_id: z.string().min(1).max(255),
});

const BanditAssignmentResponse = z
  .object({
    experiment_id: z.string(),
    participant_id: z.string(),
    assignment: BanditAssignmentSchema.nullable(),
    reason: z
      .object({ code: z.enum(['stopped', 'before_start_date']), message: z.string() })
      .optional()
      .openapi({ description: 'Why no draw was made (only when assignment is null and creation was asked for)' }),
  })
  .openapi('GetBanditAssignmentResponse');

export function publicBanditRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('/experiments/:experiment_id/assignments/:participant_id/assign_cmab', jsonWithoutContentType());
  app.openapi(
    createRoute({
      method: 'post',
      path: '/experiments/{experiment_id}/assignments/{participant_id}/assign_cmab',
      operationId: 'get_cmab_experiment_assignment_for_participant',
      tags: [TAG],
      security,
      summary: 'Contextual bandits: get or create a draw at the participant\'s context',
      description:
        'An existing draw is returned as is and `context_inputs` is ignored (it may be null). To create one, give exactly one ' +
        'value per context of the experiment, matched by `context_id` in any order; binary contexts take 0 or 1.',
      request: {
        params: ParticipantParams,
        query: z.object({
          create_if_none: booleanQuery(true).openapi({ description: 'Draw for an unseen participant' }),
          random_state: z.coerce.number().int().min(0).max(MAX_SEED).optional().openapi({ description: 'Fixes the draw (tests only)' }),
        }),
        body: { content: { 'application/json': { schema: CmabContextInputRequestSchema } }, required: true },
      },
      responses: { 200: okJson(BanditAssignmentResponse, 'The draw, or null'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id, participant_id } = c.req.valid('param');
      const { create_if_none, random_state } = c.req.valid('query');
      const { body } = await assignCmabParticipant(c.var.deps, {
        apiKey: c.req.header('X-API-Key'),
        datasourceHeader: c.req.header('Datasource-ID'),
        experimentId: experiment_id,
        participantId: participant_id,
        createIfNone: create_if_none,
        contextInputs: c.req.valid('json').context_inputs,
        randomState: random_state,
      });
      return c.json(body, 200);
    },
  );

  app.use('/experiments/:experiment_id/assignments/:participant_id/outcome', jsonWithoutContentType());
  app.openapi(
    createRoute({
      method: 'post',
      path: '/experiments/{experiment_id}/assignments/{participant_id}/outcome',
      operationId: 'update_bandit_arm_with_participant_outcome',
      tags: [TAG],
      security,
      summary: "Bandits: record a participant's outcome and update the drawn arm's posterior",
      description:
        'Only a participant with a draw and no outcome yet can be updated; anything else is a 422. Binary rewards take 0 or 1. ' +
        'Outcomes are accepted whatever the experiment state, end date or stop. Concurrent outcomes on one arm are applied one ' +
        'at a time; none is lost.',
      request: {
        params: ParticipantParams,
        body: {
          content: { 'application/json': { schema: z.object({ outcome: z.number().refine(Number.isFinite, 'must be finite') }).strict().openapi('UpdateBanditArmOutcomeRequest') } },
          required: true,
        },
      },
      responses: { 200: okJson(ArmBanditSchema, 'The updated arm'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id, participant_id } = c.req.valid('param');
      const arm = await recordOutcome(c.var.deps, {
        apiKey: c.req.header('X-API-Key'),
        datasourceHeader: c.req.header('Datasource-ID'),
        experimentId: experiment_id,
        participantId: participant_id,
        outcome: c.req.valid('json').outcome,
      });
      return c.json(arm, 200);
    },
  );

  return app;
}
