/**
 * Benchmark of the statistics engine's heavy paths (not part of npm test):
 *  1. stratified assignment of 1,000,000 participants with 3 strata columns (two categorical, one numeric
 *     binned into quartiles);
 *  2. OLS with HC1 errors on 1,000,000 rows × 4 arms from streamed per-arm moments.
 * Run: `node --expose-gc --import tsx bench/stats.ts` (or `npx tsx bench/stats.ts`; without --expose-gc the
 * baseline is not collected first). Prints wall time and peak RSS sampled every 5 ms above the baseline.
 */
import { analyzeArms } from '../src/stats/analysis.ts';
import { ArmMomentsAccumulator } from '../src/stats/ols.ts';
import type { Cell } from '../src/stats/preprocess.ts';
import { seededRandom } from '../src/stats/random.ts';
import { assignStratified } from '../src/stats/stratified-assignment.ts';

const PARTICIPANTS = 1_000_000;
const RSS_SAMPLE_MS = 5;
const MB = 1024 * 1024;

async function measure<T>(label: string, fn: () => T): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), RSS_SAMPLE_MS);
  await new Promise((r) => setTimeout(r, RSS_SAMPLE_MS));
  const start = performance.now();
  const result = fn(); // synchronous: the sampler only runs between phases, so also sample at the end
  const ms = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  console.log(`${label}: ${ms.toFixed(0)} ms, peak RSS ${(peak / MB).toFixed(0)} MB (baseline ${(baseline / MB).toFixed(0)} MB, +${((peak - baseline) / MB).toFixed(0)} MB)`);
  return result;
}

const r = seededRandom(2026);
const regions = ['N', 'S', 'E', 'W', 'C'];
const region: Cell[] = Array.from({ length: PARTICIPANTS }, () => regions[r.int(regions.length)]!);
const member: Cell[] = Array.from({ length: PARTICIPANTS }, () => (r.next() < 0.02 ? null : r.next() < 0.4));
const age: Cell[] = Array.from({ length: PARTICIPANTS }, () => (r.next() < 0.01 ? null : 18 + Math.round(r.next() * 600) / 10));

const assignment = await measure('stratified assignment, 1M participants, 3 strata columns', () =>
  assignStratified({ region, member, age }, { weights: [1, 1, 1, 1], seed: 42 }),
);
console.log(`  strata ${assignment.stratumCount}, arm sizes ${assignment.armSizes.join('/')}`);

const outcomes = Float64Array.from({ length: PARTICIPANTS }, (_, i) => 10 + assignment.arms[i]! * 0.05 + r.next() * 4);
const analysis = await measure('OLS HC1, 1M rows x 4 arms (streamed per-arm moments)', () => {
  const acc = new ArmMomentsAccumulator(4);
  acc.addBatch(assignment.arms, outcomes);
  return analyzeArms(acc.snapshot(), { baseline: 0 });
});
console.log(`  effects ${analysis.arms.slice(1).map((a) => `${a.estimate.toFixed(4)} ± ${a.std_error.toFixed(4)}`).join(', ')}`);
