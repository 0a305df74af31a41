/** The start-up offer of unsaved documents a previous session left behind (it crashed or was killed). */
import { useEffect, useState } from 'react';
import type { DocumentSummary, RecoverableDocument } from '../../core/api/contract';
import { api } from '../host/bridge';
import { Modal } from './dialogs';
import { errorText } from '../shared/util';

/** Asks once at start: "Recover N unsaved documents from the last session?" — Recover opens them dirty, Discard deletes them. */
export function RecoveryPrompt({ onOpened, notify }: { onOpened: (s: DocumentSummary) => void; notify: (text: string) => void }) {
  const [docs, setDocs] = useState<RecoverableDocument[]>([]);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    let live = true;
    api.listRecoverable({}).then(
      (list) => live && setDocs(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  if (!docs.length) return null;
  const later = () => setDocs([]);

  const recover = async () => {
    setWorking(true);
    for (const d of docs) {
      try {
        onOpened(await api.recover({ id: d.id }));
      } catch (e) {
        notify(`Recover ${d.name}: ${errorText(e)}`);
      }
    }
    setDocs([]);
  };

  const discard = async () => {
    setWorking(true);
    try {
      await api.discardRecoverable({});
    } catch (e) {
      notify(`Discard: ${errorText(e)}`);
    }
    setDocs([]);
  };

  const n = docs.length;
  return (
    <Modal title="Recover unsaved work" onCancel={later}>
      <p data-testid="recovery-question">
        Recover {n} unsaved document{n === 1 ? '' : 's'} from the last session?
      </p>
      <ul className="recovery-list" style={{ maxHeight: 200, overflow: 'auto', margin: '0 0 12px', paddingLeft: 18 }}>
        {docs.map((d) => (
          <li key={d.id} title={d.path ?? d.name}>
            {d.name}{' '}
            <span className="muted">
              — {d.path ?? 'not saved to a file'}, {new Date(d.savedAt).toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
      <div className="modal-actions">
        <button className="primary" autoFocus disabled={working} onClick={() => void recover()}>
          Recover
        </button>
        <button disabled={working} onClick={() => void discard()}>
          Discard
        </button>
        <button disabled={working} onClick={later} title="Ask again at the next start">
          Later
        </button>
      </div>
    </Modal>
  );
}
