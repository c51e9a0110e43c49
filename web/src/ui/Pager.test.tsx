/** The pager while the next page loads: Next keeps keyboard focus and ignores a second press. */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Pager } from './Pager.tsx';

describe('Pager', () => {
  it('keeps Next focusable but inert while the next page loads, then enables it again', async () => {
    const user = userEvent.setup();
    const onNext = vi.fn();
    const props = { page: 2, nextToken: 'tok_3', onNext, onPrevious: () => {}, label: 'Events' };
    const { rerender } = render(<Pager {...props} loading />);
    const next = screen.getByRole('button', { name: 'Next →' });
    next.focus();
    await user.keyboard('{Enter}');
    expect(onNext).not.toHaveBeenCalled();
    expect(next.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(next);
    expect(screen.getByRole('navigation', { name: 'Events pages' }).getAttribute('aria-busy')).toBe('true');

    rerender(<Pager {...props} />);
    expect(document.activeElement).toBe(next);
    await user.keyboard('{Enter}');
    expect(onNext).toHaveBeenCalledWith('tok_3');
  });

  it('disables Next on the last page, and hides on a single page', () => {
    const { rerender } = render(<Pager page={3} nextToken={undefined} onNext={() => {}} onPrevious={() => {}} label="Events" />);
    expect(screen.getByRole('button', { name: 'Next →' })).toHaveProperty('disabled', true);
    rerender(<Pager page={1} nextToken={undefined} onNext={() => {}} onPrevious={() => {}} label="Events" />);
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});
