import { describe, expect, it } from 'vitest';
import type { DocumentSummary, MenuCommand } from '../../core/api/contract';
import { actionTitle, type KeyPress } from './action';
import { APP_ACTIONS, appAction, runAction, runMenuCommand, type AppActionContext } from './app-actions';
import { shortcutOutcome } from './use-shortcuts';
import { tabToSwitchTo } from '../shell/tab-switch';

const DOC: DocumentSummary = {
  docId: 'd1',
  name: 'room.bin',
  path: '/tmp/room.bin',
  size: 113,
  typeName: 'livekit.Room',
  framing: 'single',
  messageCount: 1,
  dirty: false,
  canUndo: true,
  canRedo: false,
  candidates: [],
  version: 1,
};

/** A context whose commands record what they were asked: [command, ...arguments]. */
function context(over: Partial<AppActionContext> = {}): { c: AppActionContext; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);
  const c: AppActionContext = {
    info: { version: '0.1.0', mode: 'browser', platform: 'linux', nativeDialogs: false, maxOpenBytes: 1 << 30 },
    active: DOC,
    taskId: null,
    schemasShown: false,
    openDialog: rec('openDialog'),
    openPathPrompt: rec('openPathPrompt'),
    pasteBytes: rec('pasteBytes'),
    save: rec('save'),
    saveAs: rec('saveAs'),
    closeTab: rec('closeTab'),
    exportAs: rec('exportAs'),
    undo: rec('undo'),
    redo: rec('redo'),
    findInTree: rec('findInTree'),
    togglePane: rec('togglePane'),
    toggleSchemas: rec('toggleSchemas'),
    compare: rec('compare'),
    cancelTask: rec('cancelTask'),
    notify: rec('notify'),
    switchTab: rec('switchTab'),
    ...over,
  };
  return { c, calls };
}

/** Every menu command the contract has (a Record, so a new one must be listed here to compile). */
const MENU_COMMANDS: Record<MenuCommand, true> = {
  open: true,
  'paste-bytes': true,
  save: true,
  'save-as': true,
  'close-tab': true,
  'export-json': true,
  'export-text': true,
  'export-hex': true,
  undo: true,
  redo: true,
  find: true,
  'toggle-json': true,
  'toggle-hex': true,
  'toggle-schemas': true,
  'compare-with': true,
  'compare-with-saved': true,
  about: true,
};

function key(
  k: string,
  mods: { ctrl?: boolean; shift?: boolean } = {},
  defaultPrevented = false,
): KeyPress & { defaultPrevented: boolean } {
  return { key: k, ctrlKey: !!mods.ctrl, metaKey: false, shiftKey: !!mods.shift, altKey: false, defaultPrevented };
}

describe('the app actions', () => {
  it('have unique ids, and one for every command the desktop menu sends', () => {
    const ids = APP_ACTIONS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const command of Object.keys(MENU_COMMANDS)) expect(ids).toContain(command);
  });

  it('menu commands run their action on the active document, and nothing without one', () => {
    const { c, calls } = context();
    runMenuCommand('save', c);
    runMenuCommand('export-hex', c);
    runMenuCommand('toggle-hex', c);
    runMenuCommand('toggle-json', c);
    runMenuCommand('close-tab', c);
    expect(calls).toEqual([
      ['save', 'd1'],
      ['exportAs', 'hex'],
      ['togglePane', 'hex'],
      ['togglePane', 'text'],
      ['closeTab', 'd1'],
    ]);
    const none = context({ active: null });
    for (const id of ['save', 'save-as', 'close-tab', 'export-json', 'undo', 'redo', 'find'] as const)
      expect(runMenuCommand(id, none.c)).toBe(false);
    expect(none.calls).toEqual([]);
    runMenuCommand('open', none.c);
    runMenuCommand('paste-bytes', none.c);
    expect(none.calls).toEqual([['openDialog'], ['pasteBytes']]);
  });

  it('Compare with… and Compare with saved run from their keys and the menu, only with a document open', () => {
    const { c, calls } = context();
    shortcutOutcome(APP_ACTIONS, key('d', { ctrl: true }), false, c).run?.run(c);
    shortcutOutcome(APP_ACTIONS, key('D', { ctrl: true, shift: true }), true, c).run?.run(c);
    runMenuCommand('compare-with', c);
    expect(calls).toEqual([
      ['compare', 'other'],
      ['compare', 'saved'],
      ['compare', 'other'],
    ]);
    const none = context({ active: null });
    expect(runMenuCommand('compare-with', none.c)).toBe(false);
    expect(runMenuCommand('compare-with-saved', none.c)).toBe(false);
    expect(none.calls).toEqual([]);
  });

  it('Undo and Redo run only when the document has something to undo or redo', () => {
    const { c, calls } = context();
    expect(runAction('undo', c)).toBe(true);
    expect(runAction('redo', c)).toBe(false);
    expect(calls).toEqual([['undo', 'd1']]);
  });

  it('Open path… is offered only where the host has no native dialogs', () => {
    const browser = context().c;
    const desktop = context({ info: { ...browser.info!, mode: 'electron', nativeDialogs: true } }).c;
    expect(appAction('open-path').shown?.(browser)).toBe(true);
    expect(appAction('open-path').shown?.(desktop)).toBe(false);
  });

  it('keep the toolbar tooltips', () => {
    const titles = (['open', 'open-path', 'paste-bytes', 'save', 'save-as', 'undo', 'redo', 'toggle-schemas', 'cancel-task'] as const).map(
      (id) => actionTitle(appAction(id), false),
    );
    expect(titles).toEqual([
      'Open files (Ctrl+O)',
      'Open a file by its path on this machine',
      'Paste bytes as hex or base64 (Ctrl+Shift+V)',
      'Save (Ctrl+S)',
      'Save As (Ctrl+Shift+S)',
      'Undo (Ctrl+Z)',
      'Redo (Ctrl+Shift+Z / Ctrl+Y)',
      'Schemas',
      'Cancel (Esc)',
    ]);
  });
});

describe('the app shortcuts', () => {
  const outcome = (e: ReturnType<typeof key>, typing: boolean, c: AppActionContext) => {
    const r = shortcutOutcome(APP_ACTIONS, e, typing, c);
    return { run: r.run?.id ?? null, preventDefault: r.preventDefault };
  };

  it('Save and Open work while typing; Undo, Redo and Find leave text fields their own keys', () => {
    const { c } = context();
    expect(outcome(key('s', { ctrl: true }), true, c)).toEqual({ run: 'save', preventDefault: true });
    expect(outcome(key('S', { ctrl: true, shift: true }), true, c)).toEqual({ run: 'save-as', preventDefault: true });
    expect(outcome(key('o', { ctrl: true }), true, c)).toEqual({ run: 'open', preventDefault: true });
    expect(outcome(key('V', { ctrl: true, shift: true }), true, c)).toEqual({ run: 'paste-bytes', preventDefault: true });
    expect(outcome(key('z', { ctrl: true }), true, c)).toEqual({ run: null, preventDefault: false });
    expect(outcome(key('f', { ctrl: true }), true, c)).toEqual({ run: null, preventDefault: false });
    expect(outcome(key('z', { ctrl: true }), false, c)).toEqual({ run: 'undo', preventDefault: true });
    expect(outcome(key('f', { ctrl: true }), false, c)).toEqual({ run: 'find', preventDefault: true });
    const redoable = context({ active: { ...DOC, canRedo: true } }).c;
    expect(outcome(key('Z', { ctrl: true, shift: true }), false, redoable)).toEqual({ run: 'redo', preventDefault: true });
    expect(outcome(key('y', { ctrl: true }), false, redoable)).toEqual({ run: 'redo', preventDefault: true });
  });

  it("a Mod chord is the app's even when its action cannot run (Ctrl+S never opens the browser's Save Page)", () => {
    const { c } = context({ active: null });
    expect(outcome(key('s', { ctrl: true }), false, c)).toEqual({ run: null, preventDefault: true });
  });

  it('menu-only keys are left to the browser (Ctrl+W closes its tab)', () => {
    const { c } = context();
    expect(outcome(key('w', { ctrl: true }), false, c)).toEqual({ run: null, preventDefault: false });
    expect(outcome(key('H', { ctrl: true, shift: true }), false, c)).toEqual({ run: null, preventDefault: false });
  });

  it('Esc cancels the task under way, unless something else took the key', () => {
    const idle = context().c;
    expect(outcome(key('Escape'), false, idle)).toEqual({ run: null, preventDefault: false });
    const { c, calls } = context({ taskId: 't1' });
    expect(outcome(key('Escape'), true, c)).toEqual({ run: 'cancel-task', preventDefault: false });
    expect(outcome(key('Escape', {}, true), false, c)).toEqual({ run: null, preventDefault: false });
    runAction('cancel-task', c);
    expect(calls).toEqual([['cancelTask', 't1']]);
  });
});

describe('tab switching', () => {
  it('Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+1..9 switch tabs, also while typing', () => {
    const { c, calls } = context();
    for (const [k, mods] of [
      ['Tab', { ctrl: true }],
      ['Tab', { ctrl: true, shift: true }],
      ['3', { ctrl: true }],
      ['9', { ctrl: true }],
    ] as const) {
      const r = shortcutOutcome(APP_ACTIONS, key(k, mods), true, c);
      expect(r.preventDefault).toBe(true);
      r.run?.run(c);
    }
    expect(calls).toEqual([
      ['switchTab', 'next'],
      ['switchTab', 'previous'],
      ['switchTab', 3],
      ['switchTab', 9],
    ]);
  });

  it('go to the next and previous tab around the ends, the n-th, and the last for 9', () => {
    const tabs = ['a', 'b', 'c'].map((docId) => ({ ...DOC, docId }));
    expect(tabToSwitchTo(tabs, 'c', 'next')).toBe('a');
    expect(tabToSwitchTo(tabs, 'a', 'previous')).toBe('c');
    expect(tabToSwitchTo(tabs, 'a', 'next')).toBe('b');
    expect(tabToSwitchTo(tabs, 'a', 2)).toBe('b');
    expect(tabToSwitchTo(tabs, 'a', 5)).toBeNull();
    expect(tabToSwitchTo(tabs, 'a', 9)).toBe('c');
    expect(tabToSwitchTo([], null, 'next')).toBeNull();
  });
});
