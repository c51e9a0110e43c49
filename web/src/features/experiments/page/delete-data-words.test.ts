import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../api-types.ts';
import { assignmentsLabel, dataKindOf, deletedToast, deletionSentences, snapshotsLabel } from './delete-data-words.ts';

const counts = { assignments: 1234, snapshots: 3, moreSnapshots: false };
const design = (experiment_type: string) => ({ design_spec: { experiment_type } }) as Pick<ExperimentConfig, 'design_spec'>;

describe('delete data in words', () => {
  it('tells the kinds apart', () => {
    expect(dataKindOf(design('freq_preassigned'))).toBe('preassigned');
    expect(dataKindOf(design('freq_online'))).toBe('online');
    expect(dataKindOf(design('mab_online'))).toBe('bandit');
    expect(dataKindOf(design('cmab_online'))).toBe('bandit');
  });

  it('says nothing until something is chosen', () => {
    expect(deletionSentences('online', { assignments: false, snapshots: false }, counts)).toEqual([]);
  });

  it('counts the assignments and says the public API answers as if nobody had been assigned', () => {
    const [first, second, last] = deletionSentences('preassigned', { assignments: true, snapshots: false }, counts);
    expect(first).toBe('This deletes the 1,234 assignments made when the experiment was created.');
    expect(second).toMatch(/^The public API then answers as if nobody had been assigned: your backend gets no arm/);
    expect(last).toBe('The design, the arms and the registry stay. This cannot be undone.');
    expect(deletionSentences('online', { assignments: true, snapshots: false }, { ...counts, assignments: 1 })[0]).toBe('This deletes the 1 assignment.');
  });

  it('calls a bandit’s assignments draws, and says the beliefs start over', () => {
    const words = deletionSentences('bandit', { assignments: true, snapshots: true }, counts).join(' ');
    expect(words).toMatch(/^This deletes the 1,234 draws with their outcomes, and every arm’s belief goes back to its starting prior\./);
    expect(words).toContain('It also deletes all 3 snapshots, the history of the results.');
    expect(assignmentsLabel('bandit', 1234)).toBe('Draws and their outcomes (1,234)');
    expect(assignmentsLabel('online', 0)).toBe('Assignments (0)');
  });

  it('mentions a lifted target stop only when there is one', () => {
    expect(deletionSentences('online', { assignments: true, snapshots: false }, counts, true)).toContain('Assignment had stopped at the target size; it starts again, counting from zero.');
    expect(deletionSentences('online', { assignments: false, snapshots: true }, counts, true).join(' ')).not.toContain('target size');
  });

  it('counts snapshots as far as the page knows them', () => {
    expect(deletionSentences('online', { assignments: false, snapshots: true }, counts)[0]).toBe('This deletes all 3 snapshots, the history of the results. The assignments and the live results stay.');
    expect(deletionSentences('online', { assignments: false, snapshots: true }, { ...counts, snapshots: 1 })[0]).toMatch(/^This deletes the 1 snapshot,/);
    expect(deletionSentences('online', { assignments: false, snapshots: true }, { ...counts, snapshots: 400, moreSnapshots: true })[0]).toMatch(/^This deletes more than 400 snapshots,/);
    expect(deletionSentences('online', { assignments: false, snapshots: true }, { ...counts, snapshots: null })[0]).toMatch(/^This deletes every snapshot,/);
    expect(deletionSentences('online', { assignments: false, snapshots: true }, { ...counts, snapshots: 0 })[0]).toMatch(/there are none yet/);
    expect(snapshotsLabel({ ...counts, snapshots: null })).toBe('Snapshots');
    expect(snapshotsLabel({ ...counts, snapshots: 400, moreSnapshots: true })).toBe('Snapshots (more than 400)');
  });

  it('words the toast after what was deleted', () => {
    expect(deletedToast('bandit', { assignments: true, snapshots: true })).toBe('The draws and snapshots were deleted.');
    expect(deletedToast('online', { assignments: false, snapshots: true })).toBe('The snapshots were deleted.');
  });
});
