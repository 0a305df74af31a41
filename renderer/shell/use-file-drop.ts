/** Files dropped on the window: whether a drag is over it, and the handlers of the drop zone. */
import { useState, type DragEvent } from 'react';

/**
 * True when a dragleave takes the drag out of the zone: to nowhere (the pointer left the window,
 * or the drag was cancelled with Esc, which ends it with a dragleave at the element under the
 * pointer) or to an element outside the zone. A leave from one child to another is not.
 */
export function leavesZone(zone: Node, to: EventTarget | null): boolean {
  return !(to instanceof Node) || !zone.contains(to);
}

/** `dragging` while files are dragged over the zone; `zone` goes on the drop zone's element. */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  const zone = {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes('Files')) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }
    },
    // The leave is told by where the drag goes, not by which element it leaves: the overlay and
    // every pane are children of the zone, so a drag cancelled over them leaves from a child.
    onDragLeave: (e: DragEvent) => {
      if (leavesZone(e.currentTarget, e.relatedTarget)) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const files = Array.from(e.dataTransfer.files);
      if (files.length) onFiles(files);
    },
  };
  return { dragging, zone };
}
