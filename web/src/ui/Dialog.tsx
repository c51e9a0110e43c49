/**
 * A modal built on the native <dialog>: the browser traps focus, Escape closes it and focus returns to the
 * opener, which is what keyboard users need without a library.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from './Button.tsx';
import { TextField } from './Field.tsx';

export interface DialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Buttons for the footer; a Close button is added when none are given. */
  readonly footer?: ReactNode;
  readonly wide?: boolean;
}

export function Dialog({ open, title, onClose, children, footer, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // React's autoFocus runs before showModal, while nothing inside can take focus, and the browser then
      // focuses the first control (the × button). Mark the field to start in with `data-autofocus`.
      d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-label={title}
      // The browser sends "close" a moment after the dialog closed: if it was opened again meanwhile (Escape,
      // then Enter on the opener at once), that late event must not close the new one.
      onClose={(e) => {
        if (!e.currentTarget.open) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
          <footer className="dialog-footer">{footer ?? <Button onClick={onClose}>Close</Button>}</footer>
        </>
      )}
    </dialog>
  );
}

/** Asks before something irreversible; `confirmWord` makes the user type it (for deletes that cascade). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  danger = true,
  confirmWord,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  danger?: boolean;
  /** A word the user must type before the confirm button works. */
  confirmWord?: string;
}) {
  const [typed, setTyped] = useState('');
  useEffect(() => {
    if (!open) setTyped('');
  }, [open]);
  const blocked = confirmWord !== undefined && typed.trim() !== confirmWord;
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} disabled={blocked} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {confirmWord !== undefined && (
        <TextField
          label={
            <>
              Type <strong>{confirmWord}</strong> to confirm
            </>
          }
          value={typed}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !blocked && !busy) onConfirm();
          }}
        />
      )}
    </Dialog>
  );
}
