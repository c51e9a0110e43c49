import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  readonly label: string;
  readonly to?: string;
}

/** Title row of every screen: breadcrumbs, heading (also the document title) and actions. */
export function PageHeader({ title, crumbs, actions, children }: { title: ReactNode; crumbs?: readonly Crumb[]; actions?: ReactNode; children?: ReactNode }) {
  const text = typeof title === 'string' ? title : undefined;
  useEffect(() => {
    if (text) document.title = `${text} · Equipoise`;
  }, [text]);
  return (
    <header className="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="crumbs">
          <ol>
            {crumbs.map((c, i) => (
              <li key={i}>{c.to ? <Link to={c.to}>{c.label}</Link> : <span>{c.label}</span>}</li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-title-row">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </header>
  );
}

export function Section({ title, actions, children, id }: { title: ReactNode; actions?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="section" aria-labelledby={id ? `${id}-title` : undefined}>
      <div className="section-header">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions && <div className="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
