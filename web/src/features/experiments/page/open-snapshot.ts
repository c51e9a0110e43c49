/**
 * Which stored snapshot a results section shows "as of" its time, for the A/B results and the bandit's
 * numbers alike: `?snapshot=<id>` in the address, so a reload keeps it and the browser's Back returns to the
 * live view. Focus moves to the section title when the person opens or closes one (never on a plain page
 * load), once the new content is there to read.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useSearchParams } from 'react-router';

export const SNAPSHOT_PARAM = 'snapshot';

export interface TitleFocus {
  /** The section title (a `tabIndex={-1}` element) that focus moves to. */
  readonly titleRef: RefObject<HTMLSpanElement | null>;
  /** Set when the person asked for the change; the view that appears takes focus once, then clears it. */
  readonly moveFocus: { current: boolean };
}

export interface OpenSnapshot extends TitleFocus {
  readonly openId: string | null;
  /** Opens a snapshot, or goes back to the live view with `null`; a new history entry either way. */
  readonly setOpen: (id: string | null) => void;
}

export function useOpenSnapshot(): OpenSnapshot {
  const [search, setSearch] = useSearchParams();
  const titleRef = useRef<HTMLSpanElement>(null);
  const moveFocus = useRef(false);
  const setOpen = (id: string | null) => {
    moveFocus.current = true;
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set(SNAPSHOT_PARAM, id);
        else next.delete(SNAPSHOT_PARAM);
        return next;
      },
      { preventScrollReset: true },
    );
  };
  return { openId: search.get(SNAPSHOT_PARAM), setOpen, titleRef, moveFocus };
}

/** Moves focus to the section title once `ready`, if the person's last action asked for it. */
export function useFocusTitle({ titleRef, moveFocus }: TitleFocus, ready: boolean) {
  useEffect(() => {
    if (ready && moveFocus.current) {
      moveFocus.current = false;
      titleRef.current?.focus();
    }
  }, [ready, titleRef, moveFocus]);
}
