/** Keyboard-only driving for the datasources e2e tests: move focus with Tab the way a keyboard user does. */
import type { Page } from 'playwright-core';

/**
 * Presses Tab (or Shift+Tab) until the focused element has `name` as its accessible name (or label), and
 * the explicit `role` when one is given (a tab panel is named by its tab).
 */
export async function tabTo(page: Page, name: string | RegExp, options: { max?: number; backwards?: boolean; role?: string } = {}): Promise<void> {
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const label = await page.evaluate((role) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || (role !== undefined && el.getAttribute('role') !== role)) return '';
      const labelled = el.getAttribute('aria-labelledby');
      if (labelled) return labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      const aria = el.getAttribute('aria-label');
      if (aria) return aria;
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length > 0) return (labels[0]?.textContent ?? '').replace(/\s*\*\s*$/, '').trim();
      return (el.textContent ?? '').trim();
    }, options.role);
    if (typeof name === 'string' ? label === name : name.test(label)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}
