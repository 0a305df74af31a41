/** The fields each capture method takes (core/api/capture-contract.ts), joined into REQUEST_SPECS. */
import type { CaptureMethods } from './capture-contract';
import { bytes, nonNegInt, nullableStr, str, type Spec } from './field-checks';

const CAPTURE: Spec = { captureId: str };

/** The capture methods' request specs. */
export const CAPTURE_SPECS: { readonly [K in keyof CaptureMethods]: Spec } = {
  openCaptureBytes: { name: str, bytes },
  openCapturePath: { path: str },
  listCaptures: {},
  getCaptureRows: { ...CAPTURE, start: nonNegInt, count: nonNegInt },
  setCaptureEntryType: { ...CAPTURE, index: nonNegInt, typeName: nullableStr },
  openCaptureEntry: { ...CAPTURE, index: nonNegInt },
  exportCapture: CAPTURE,
  closeCapture: CAPTURE,
};
