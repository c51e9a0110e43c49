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

export function Pager({ page, nextToken, onNext, onPrevious, label }: { page: number; nextToken: string | undefined; onNext: (token: string) => void; onPrevious: () => void; label: string }) {
  if (page === 1 && !nextToken) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <Button size="small" disabled={page <= 1} onClick={onPrevious}>
        ← Previous
      </Button>
      <span>Page {page}</span>
      <Button size="small" disabled={!nextToken} onClick={() => nextToken && onNext(nextToken)}>
        Next →
      </Button>
    </nav>
  );
}
