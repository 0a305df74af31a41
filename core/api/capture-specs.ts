/** The fields each capture method takes (core/api/capture-contract.ts), joined into REQUEST_SPECS. */
import type { CaptureMethods } from './capture-contract';
import { bytes, check, nonNegInt, nullableStr, oneOf, problem, str, type Spec } from './field-checks';

const CAPTURE: Spec = { captureId: str };
const RULE: Spec = { url: str, 'direction?': oneOf('request', 'response'), typeName: str };
/** At most this many URL rules per capture. */
export const MAX_URL_RULES = 200;
const rules = check(
  `a list of at most ${MAX_URL_RULES} URL rules {url, direction?, typeName}`,
  (v) => Array.isArray(v) && v.length <= MAX_URL_RULES && v.every((r) => problem(RULE, r) === null),
);

/** The capture methods' request specs. */
export const CAPTURE_SPECS: { readonly [K in keyof CaptureMethods]: Spec } = {
  openCaptureBytes: { name: str, bytes },
  openCapturePath: { path: str },
  listCaptures: {},
  getCaptureRows: { ...CAPTURE, start: nonNegInt, count: nonNegInt },
  setCaptureEntryType: { ...CAPTURE, index: nonNegInt, typeName: nullableStr },
  setCaptureUrlRules: { ...CAPTURE, rules },
  openCaptureEntry: { ...CAPTURE, index: nonNegInt },
  exportCapture: CAPTURE,
  closeCapture: CAPTURE,
};
