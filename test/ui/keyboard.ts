/**
 * Keyboard-only driving for the e2e tests: move focus with Tab the way a person would, and check where it
 * is. The target is a locator, or an accessible name (aria-label, aria-labelledby, the control's <label>
 * without the required-field asterisk, or its text), optionally with the role it must have (a tab panel is
 * named after its tab, so names alone can be ambiguous).
 */
import type { Locator, Page } from 'playwright-core';

export interface TabOptions {
  /** Shift+Tab instead of Tab. */
  readonly back?: boolean;
  readonly backwards?: boolean;
  readonly max?: number;
  readonly role?: string;
}

function isLocator(target: unknown): target is Locator {
  return typeof target === 'object' && target !== null && !(target instanceof RegExp) && 'evaluate' in target;
}

/** Whether `target` has keyboard focus now. */
export async function hasFocus(target: Locator): Promise<boolean> {
  // A short timeout: a locator that matches nothing (yet) would otherwise wait the default 30 s per press.
  return target.evaluate((el) => el === document.activeElement, undefined, { timeout: 1000 }).catch(() => false);
}

async function focusedName(page: Page, role: string | undefined): Promise<string> {
  return page.evaluate((wantedRole) => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || (wantedRole !== undefined && el.getAttribute('role') !== wantedRole && el.tagName.toLowerCase() !== wantedRole)) return '';
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return (labels[0]?.textContent ?? '').replace(/\s*\*\s*$/, '').replace(/\s+/g, ' ').trim();
    return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  }, role);
}

/** Presses Tab (or Shift+Tab) until the target has focus; fails after `max` presses, saying where focus went. */
export async function tabTo(page: Page, target: Locator | string | RegExp, options: TabOptions = {}): Promise<void> {
  const key = options.back || options.backwards ? 'Shift+Tab' : 'Tab';
  const max = options.max ?? 80;
  const seen: string[] = [];
  for (let i = 0; i <= max; i++) {
    if (isLocator(target)) {
      if (await hasFocus(target)) return;
    } else if (i > 0) {
      const name = await focusedName(page, options.role);
      seen.push(name);
      if (typeof target === 'string' ? name === target : target.test(name)) return;
    }
    if (i < max) await page.keyboard.press(key);
  }
  if (isLocator(target)) seen.push(await focusedName(page, undefined));
  throw new Error(`Tab never reached ${isLocator(target) ? String(target) : String(target)} within ${max} presses; focus went through: ${seen.slice(-15).join(' | ')}`);
}
