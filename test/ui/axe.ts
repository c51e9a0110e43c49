/**
 * Automated accessibility checks for the e2e tests: axe-core's engine injected into the page and run with
 * the WCAG 2.0 and 2.1 level A and AA rules. Each violation is described with its rule id, impact, the
 * selectors of the offending elements, what axe found wrong there, and the rule's help text and page, so a
 * failure says what to fix without re-running anything.
 *
 * @example
 *   const report = new AxeReport();
 *   await report.check(page, 'experiments list');
 *   await report.check(page, 'event details', { include: '[role=dialog]' });
 *   report.expectClean();
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

export interface AxeOptions {
  /** Check only inside this selector (a dialog, say); the whole document otherwise. */
  readonly include?: string;
}

/** Runs axe on the page as it is now and returns the violations. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  // The engine survives only until the next navigation, so it is injected again when the page lost it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(
    async ({ include, tags }) => {
      const engine = (window as unknown as { axe: typeof axe }).axe;
      const results = await engine.run(include ? { include: [include] } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { include: options.include, tags: [...WCAG_TAGS] },
  );
}

/** One violation in words: rule, impact, help, then each element's selector and what is wrong with it. */
export function describeViolation(v: AxeViolation): string {
  const nodes = v.nodes.map((n) => `    ${n.target.map(String).join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
  return `  ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help} — ${v.helpUrl}\n${nodes.join('\n')}`;
}

/** Collects the violations of several screens, so one run lists every screen's problems at once. */
export class AxeReport {
  private readonly found: string[] = [];

  async check(page: Page, screen: string, options: AxeOptions = {}): Promise<void> {
    const violations = await axeViolations(page, options);
    if (violations.length > 0) this.found.push(`${screen}:\n${violations.map(describeViolation).join('\n')}`);
  }

  expectClean(): void {
    if (this.found.length > 0) throw new Error(`Accessibility violations (WCAG 2.0/2.1 A and AA):\n${this.found.join('\n\n')}`);
  }
}
