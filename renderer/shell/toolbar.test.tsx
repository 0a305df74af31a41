import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- react-dom's string renderer, not the app's server/ layer
import { renderToString } from 'react-dom/server';
import type { AppInfo, DocumentSummary } from '../../core/api/contract';
import type { AppActionContext } from '../actions/app-actions';
import { Toolbar } from './toolbar';
import type { Progress } from './use-progress';

const BROWSER: AppInfo = { version: '0.1.0', mode: 'browser', platform: 'linux', nativeDialogs: false, maxOpenBytes: 1 << 30 };
const DESKTOP: AppInfo = { ...BROWSER, mode: 'electron', nativeDialogs: true };
const DOC: DocumentSummary = {
  docId: 'd1',
  name: 'room.bin',
  path: null,
  size: 113,
  framing: 'single',
  messageCount: 1,
  typeName: 'livekit.Room',
  candidates: [],
  dirty: true,
  canUndo: true,
  canRedo: false,
  version: 2,
};

function context(over: Partial<AppActionContext>): AppActionContext {
  const nothing = () => undefined;
  return {
    info: BROWSER,
    active: null,
    taskId: null,
    schemasShown: false,
    openDialog: nothing,
    openPathPrompt: nothing,
    pasteBytes: nothing,
    save: nothing,
    saveAs: nothing,
    closeTab: nothing,
    exportAs: nothing,
    undo: nothing,
    redo: nothing,
    findInTree: nothing,
    togglePane: nothing,
    toggleSchemas: nothing,
    compare: nothing,
    cancelTask: nothing,
    notify: nothing,
    switchTab: nothing,
    ...over,
  };
}

/** The toolbar as HTML, without React's text separators. */
function render(c: AppActionContext, progress: Progress | null = null): string {
  return renderToString(
    <Toolbar context={c} progress={progress} busy={null} listRecent={async () => []} openPath={() => undefined} fileInput={null} />,
  ).replace(/<!-- -->/g, '');
}

/** The rendered buttons as "label" or "label (disabled)". */
function buttons(html: string): string[] {
  return [...html.matchAll(/<button([^>]*)>([^<]*)<\/button>/g)].map(([, attrs, label]) =>
    /\bdisabled=""/.test(attrs) ? `${label} (disabled)` : label,
  );
}

describe('Toolbar', () => {
  it('without a document: Save, Save As, Export, Undo and Redo are disabled; the browser gets Open path… and Recent…', () => {
    const html = render(context({}));
    expect(buttons(html)).toEqual([
      'Open…',
      'Open path…',
      'Paste bytes…',
      'Save (disabled)',
      'Save As… (disabled)',
      'Undo (disabled)',
      'Redo (disabled)',
      'Schemas',
    ]);
    expect(html).toMatch(/<select disabled="" aria-label="Export">/);
    expect(html).toContain('aria-label="Open a recent file"');
  });

  it('with a document: what it can do is enabled; the desktop has no Open path… nor Recent…, and shows the menu keys', () => {
    const html = render(context({ info: DESKTOP, active: DOC, schemasShown: true }));
    expect(buttons(html)).toEqual(['Open…', 'Paste bytes…', 'Save', 'Save As…', 'Undo', 'Redo (disabled)', 'Schemas']);
    expect(html).toMatch(/<select aria-label="Export">/);
    expect(html).toContain('<option value="export-binary">binary (download)</option>');
    expect(html).not.toContain('Open a recent file');
    expect(html).toMatch(/<button class="on" title="Schemas \(Ctrl\+Shift\+P\)">Schemas<\/button>/);
  });

  it('shows a long operation with Cancel when it can be cancelled', () => {
    const progress = { taskId: 't1', label: 'Expanding', done: 25, total: 100 };
    const html = render(context({ active: DOC, taskId: 't1' }), progress);
    expect(html).toContain('aria-valuenow="25"');
    expect(html).toContain('<button title="Cancel (Esc)">Cancel</button>');
    expect(render(context({ active: DOC }), { label: 'Opening', done: 1, total: 2 })).not.toContain('Cancel');
  });
});
