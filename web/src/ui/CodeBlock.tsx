/**
 * A block of code or JSON with its copy button. The block is focusable so keyboard users can scroll a long
 * one with the arrow keys; its label names both the block and the copy button ("Copy sample body").
 *
 * @example
 *   <CodeBlock label="sample body" code={JSON.stringify(body, null, 2)} />
 */
import { CopyButton } from './CopyButton.tsx';

export function CodeBlock({ code, label, title }: { code: string; label: string; title?: string }) {
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-title">{title ?? label}</span>
        <CopyButton text={code} what={label} />
      </div>
      <pre tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** JSON, two-space indented, as a code block. */
export function JsonBlock({ value, label, title }: { value: unknown; label: string; title?: string }) {
  return <CodeBlock code={JSON.stringify(value, null, 2)} label={label} {...(title ? { title } : {})} />;
}
