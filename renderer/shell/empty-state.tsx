/** What the window shows with no document open: where to drop files, Open and Paste bytes. */
import { ActionButton } from '../actions/action-controls';
import type { AppActionContext } from '../actions/app-actions';

/** The empty state. */
export function EmptyState({ context }: { context: AppActionContext }) {
  return (
    <div className="empty">
      <div className="drop-hint">
        <h1>Drop protobuf files here</h1>
        <p>.bin, .pb, .binpb, delimited streams, gRPC captures — one or many.</p>
        <p>
          <ActionButton id="open" context={context} /> <ActionButton id="paste-bytes" context={context} />
        </p>
        <p className="muted">Bundled schemas: LiveKit and Kik video. Add your own in Schemas.</p>
      </div>
    </div>
  );
}
