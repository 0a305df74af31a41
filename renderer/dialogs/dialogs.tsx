/** Modal dialogs: a confirm with several actions, and a one-line prompt. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useReturnFocus } from '../shared/use-return-focus';

/**
 * A modal frame; Escape cancels; when it closes the focus goes back to what opened it (or to
 * `returnFocus()`, when given: the element the dialog's work is about).
 */
export function Modal({
  title,
  children,
  onCancel,
  returnFocus,
}: {
  title: string;
  children: ReactNode;
  onCancel: () => void;
  returnFocus?: () => HTMLElement | null;
}) {
  useReturnFocus(returnFocus);
  const box = useRef<HTMLDivElement>(null);
  // The focus moves into the dialog (to its first control) unless a control of it took it already.
  useEffect(() => {
    if (box.current && !box.current.contains(document.activeElement))
      box.current.querySelector<HTMLElement>('input, select, textarea, button:not(:disabled), [tabindex="0"]')?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} ref={box}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** One button of a ConfirmDialog. */
export interface DialogAction {
  label: string;
  primary?: boolean;
  onClick: () => void;
}

/** A question with buttons. */
export function ConfirmDialog({ title, message, actions }: { title: string; message: string; actions: DialogAction[] }) {
  const cancel = actions.find((a) => a.label === 'Cancel') ?? actions[actions.length - 1];
  return (
    <Modal title={title} onCancel={cancel.onClick}>
      <p>{message}</p>
      <div className="modal-actions">
        {actions.map((a) => (
          <button key={a.label} className={a.primary ? 'primary' : ''} autoFocus={a.primary} onClick={a.onClick}>
            {a.label}
          </button>
        ))}
      </div>
    </Modal>
  );
}

/** Asks for one line of text. */
export function PromptDialog(props: {
  title: string;
  label: string;
  placeholder?: string;
  initial?: string;
  confirm: string;
  onConfirm: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(props.initial ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  return (
    <Modal title={props.title} onCancel={props.onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) props.onConfirm(value.trim());
        }}
      >
        <label className="field">
          <span>{props.label}</span>
          <input ref={input} autoFocus value={value} placeholder={props.placeholder} onChange={(e) => setValue(e.target.value)} />
        </label>
        <div className="modal-actions">
          <button type="submit" className="primary" disabled={!value.trim()}>
            {props.confirm}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
