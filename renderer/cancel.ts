/** Cancellation of long host operations, as the renderer sees it. */
import { errorText } from './util';

/** Whether an error is the host saying the user cancelled the operation ("Expanding was cancelled"). */
export function isCancelled(e: unknown): boolean {
  return / was cancelled$/.test(errorText(e));
}
