import { useState } from 'react';
import { Button } from './Button.tsx';

/** Copies text to the clipboard; falls back to selecting a hidden textarea where the Clipboard API is denied. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    if (!ok) throw new Error('The browser refused to copy; select the text and copy it by hand.');
  }
}

export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <Button
        size="small"
        aria-label={what ? `Copy ${what}` : undefined}
        onClick={() => {
          copyText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
          setTimeout(() => setState('idle'), 2500);
        }}
      >
        {state === 'copied' ? 'Copied ✓' : label}
      </Button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {state === 'copied' ? `${what ?? 'Text'} copied to the clipboard` : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}

/** A value shown in monospace with its copy button, e.g. an id or a key. */
export function CopyValue({ value, what }: { value: string; what: string }) {
  return (
    <span className="copy-value">
      <code>{value}</code>
      <CopyButton text={value} what={what} />
    </span>
  );
}
