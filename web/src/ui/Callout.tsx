import type { ReactNode } from 'react';
import { describeError } from '../api/errors.ts';
import { Button } from './Button.tsx';

export function Callout({ tone = 'info', title, children, role }: { tone?: 'info' | 'success' | 'warning' | 'danger'; title?: ReactNode; children?: ReactNode; role?: 'alert' | 'status' }) {
  return (
    <div className={`callout callout-${tone}`} role={role ?? (tone === 'danger' ? 'alert' : undefined)}>
      {title && <div className="callout-title">{title}</div>}
      {children && <div className="callout-body">{children}</div>}
    </div>
  );
}

/** Any failure, in words, with a retry when the caller can retry. */
export function ErrorCallout({ error, title = 'Something went wrong', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <Callout tone="danger" title={title}>
      <p>{describeError(error)}</p>
      {onRetry && (
        <Button size="small" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Callout>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children && <div className="empty-body">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'info' | 'success' | 'warning' | 'danger'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
