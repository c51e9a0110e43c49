/**
 * Keyboard-only driving for the e2e tests: move focus with Tab the way a person would, and find out where it
 * is by accessible name (aria-label, aria-labelledby, the control's <label>, or its text).
 */
import type { Page } from 'playwright-core';

/** Presses Tab (or Shift+Tab) until the focused element's accessible name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: string | RegExp, { back = false, max = 80 } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelledBy = el.getAttribute('aria-labelledby');
      const byIds = labelledBy
        ?.split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const label = (el as HTMLInputElement).labels?.[0]?.textContent;
      return (el.getAttribute('aria-label') ?? byIds ?? label ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    });
    seen.push(focused);
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(name)}; focus went through: ${seen.join(' | ')}`);
}

