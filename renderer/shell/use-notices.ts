/** The notices in the corner: errors and information that go away after a while or on a click. */
import { useCallback, useRef, useState } from 'react';

/** What a notice is: an error (stays 9 s) or information (4 s). */
export type NoticeKind = 'error' | 'info';

/** One notice. */
export interface Notice {
  id: number;
  text: string;
  kind: NoticeKind;
}

/** Shows a notice. */
export type Notify = (text: string, kind?: NoticeKind) => void;

/** The notices shown, `notify` to add one and `dismiss` to take one away. */
export function useNotices(): { notices: Notice[]; notify: Notify; dismiss: (id: number) => void } {
  const [notices, setNotices] = useState<Notice[]>([]);
  const lastId = useRef(0);
  const dismiss = useCallback((id: number) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, kind = 'error') => {
      const id = ++lastId.current;
      setNotices((n) => [...n, { id, text, kind }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 9000 : 4000);
    },
    [dismiss],
  );
  return { notices, notify, dismiss };
}
