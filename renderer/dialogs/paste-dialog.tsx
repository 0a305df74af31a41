/** Paste bytes as hex or base64 and open them as a new tab. */
import { useMemo, useState } from 'react';
import { Modal } from './dialogs';
import { errorText, parsePastedBytes } from '../shared/util';

/** The paste dialog. */
export function PasteDialog({ onOpen, onCancel }: { onOpen: (name: string, bytes: Uint8Array) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [name, setName] = useState('pasted.bin');
  const parsed = useMemo(() => {
    if (!text.trim()) return null;
    try {
      return parsePastedBytes(text);
    } catch (e) {
      return { error: errorText(e) };
    }
  }, [text]);
  return (
    <Modal title="Paste bytes" onCancel={onCancel}>
      <label className="field">
        <span>Hex (0a 03 66 6f 6f) or base64 (CgNmb28=)</span>
        <textarea autoFocus rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} data-testid="paste-text" />
      </label>
      <label className="field">
        <span>Tab name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <p className={parsed && 'error' in parsed ? 'error-text' : 'muted'}>
        {parsed === null ? 'Paste or type bytes.' : 'error' in parsed ? parsed.error : `${parsed.bytes.length} bytes, read as ${parsed.as}`}
      </p>
      <div className="modal-actions">
        <button
          className="primary"
          disabled={!parsed || 'error' in parsed}
          onClick={() => parsed && 'bytes' in parsed && onOpen(name || 'pasted.bin', parsed.bytes)}
        >
          Open
        </button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </Modal>
  );
}
