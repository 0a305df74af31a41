/** What the shell mounts for diffs: the "Compare with…" picker while it is open, and the diff view of the comparison shown. */
import type { DocumentSummary } from '../../core/api/contract';
import { CompareDialog } from './compare-dialog';
import { DiffView } from './diff-view';
import type { DiffSlot } from './use-diff-slot';

/** The picker and the diff view, over the workspace. */
export function DiffLayer({ slot, tabs }: { slot: DiffSlot; tabs: readonly DocumentSummary[] }) {
  return (
    <>
      {slot.shown && (
        <DiffView
          key={slot.shown.result.diffId}
          request={slot.shown.request}
          result={slot.shown.result}
          onOpen={(r) => void slot.open(r)}
          onClose={slot.close}
        />
      )}
      {slot.picking && <CompareDialog from={slot.picking} tabs={tabs} onCompare={(r) => void slot.open(r)} onCancel={slot.cancelPick} />}
    </>
  );
}
