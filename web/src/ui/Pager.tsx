/**
 * Cursor pagination (the API's `page_token`/`next_page_token`): keeps the stack of tokens seen so Previous
 * works without the server paging backwards.
 */
import { useState } from 'react';
import { Button } from './Button.tsx';

export function usePageTokens() {
  const [stack, setStack] = useState<string[]>(['']);
  const current = stack[stack.length - 1] ?? '';
  return {
    token: current || undefined,
    page: stack.length,
    next(token: string) {
      setStack((s) => [...s, token]);
    },
    previous() {
      setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
    reset() {
      setStack(['']);
    },
  };
}

/**
 * Previous / Page n / Next. While the next page loads (`loading`: the previous rows are still on screen),
 * Next stays focusable but does nothing and says so (`aria-disabled`): a disabled button would drop keyboard
 * focus to the top of the page, and a second click would skip a page with a stale token.
 */
export function Pager({
  page,
  nextToken,
  loading = false,
  onNext,
  onPrevious,
  label,
}: {
  page: number;
  nextToken: string | undefined;
  loading?: boolean;
  onNext: (token: string) => void;
  onPrevious: () => void;
  label: string;
}) {
  if (page === 1 && !nextToken && !loading) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`} aria-busy={loading || undefined}>
      <Button size="small" disabled={page <= 1} onClick={onPrevious}>
        ← Previous
      </Button>
      <span>Page {page}</span>
      <Button size="small" disabled={!loading && !nextToken} aria-disabled={loading || undefined} onClick={() => !loading && nextToken && onNext(nextToken)}>
        Next →
      </Button>
    </nav>
  );
}
