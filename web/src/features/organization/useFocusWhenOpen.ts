import { useEffect } from 'react';

/**
 * Puts the cursor in a dialog's first field once the dialog is shown. `autoFocus` alone does not: React
 * focuses on mount, before `showModal()` (the dialog's own effect, which runs first as it is a child) moves
 * focus to the dialog's first button.
 */
export function useFocusWhenOpen(open: boolean, elementId: string): void {
  useEffect(() => {
    if (open) document.getElementById(elementId)?.focus();
  }, [open, elementId]);
}
