/**
 * `underpowered` becomes a finding kind (an `experiment.warning` raised once when a final sample is too
 * small for the design's minimum effect; `services/analysis/findings.ts`), so the kind check admits it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE analysis_findings DROP CONSTRAINT analysis_findings_kind_check;
    ALTER TABLE analysis_findings ADD CONSTRAINT analysis_findings_kind_check
      CHECK (kind IN ('sample_ratio_mismatch', 'imbalance', 'underpowered'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM analysis_findings WHERE kind = 'underpowered';
    ALTER TABLE analysis_findings DROP CONSTRAINT analysis_findings_kind_check;
    ALTER TABLE analysis_findings ADD CONSTRAINT analysis_findings_kind_check CHECK (kind IN ('sample_ratio_mismatch', 'imbalance'));
  `.execute(db);
}
