/** Cancellation of long host operations, as the renderer sees it. */
import { hasErrorCode } from '../../core/api/api-error';

/** Whether an error is the host saying the user cancelled the operation (its code, never its wording). */
export function isCancelled(e: unknown): boolean {
  return hasErrorCode(e, 'cancelled');
}
