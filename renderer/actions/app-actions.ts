/**
 * The app's actions, in one registry: the toolbar's buttons and drop-downs, the keyboard
 * shortcuts and the Electron menu (which sends these ids as MenuCommands) all come from here.
 * A new command is one entry below, and a method on AppActionContext if it needs one.
 */
import type { AppInfo, DocumentSummary, MenuCommand } from '../../core/api/contract';
import type { Action, Chord, ShortcutScope } from './action';

/** What the app's actions see (the shell's state) and drive (the shell's commands). */
export interface AppActionContext {
  info: AppInfo | null;
  /** The active tab's document. */
  active: DocumentSummary | null;
  /** The long operation under way, when it can be cancelled. */
  taskId: string | null;
  schemasShown: boolean;
  openDialog(): void;
  /** Asks for a path to open (browser mode: the host has no dialogs). */
  openPathPrompt(): void;
  pasteBytes(): void;
  save(docId: string): void;
  saveAs(docId: string): void;
  closeTab(docId: string): void;
  exportAs(format: ExportFormat): void;
  undo(docId: string): void;
  redo(docId: string): void;
  /** Puts the focus in the tree's filter. */
  findInTree(): void;
  togglePane(pane: 'hex' | 'text'): void;
  toggleSchemas(): void;
  /** Compares the active message with another open document's or stream's message (asks which), or with its saved version. */
  compare(withWhat: 'other' | 'saved'): void;
  cancelTask(taskId: string): void;
  notify(text: string, kind?: 'error' | 'info'): void;
  /** Activates the next or previous tab (wrapping around), or the n-th (1-based; 9 is the last). */
  switchTab(to: 'next' | 'previous' | number): void;
}

/** What Export writes. */
export type ExportFormat = 'json' | 'text' | 'hex' | 'binary';

/** An action of the app, with the text it has inside a drop-down that already names its group. */
export interface AppAction extends Action<AppActionContext> {
  /** The text under a drop-down that names the group ("as JSON" under "Export…"); the label when absent. */
  itemLabel?: string;
}

const keys = (scope: ShortcutScope, ...chords: Chord[]) => ({ keys: chords, scope });
const always = () => true;
const hasDoc = (c: AppActionContext) => c.active !== null;
/** Runs `fn` with the active document's id (the action is enabled only when there is one). */
const onActive = (fn: (c: AppActionContext, docId: string) => void) => (c: AppActionContext) => {
  if (c.active) fn(c, c.active.docId);
};
const exportAction = <F extends ExportFormat>(format: F, itemLabel: string, label: string) =>
  ({
    id: `export-${format}` as `export-${F}`,
    label,
    itemLabel,
    enabled: hasDoc,
    run: (c: AppActionContext) => c.exportAs(format),
  }) satisfies AppAction;

const tabAction = <N extends number>(n: N) =>
  ({
    id: `tab-${n}` as `tab-${N}`,
    label: n === 9 ? 'Last Tab' : `Tab ${n}`,
    shortcut: keys('always', `Mod+${n}`),
    enabled: hasDoc,
    run: (c: AppActionContext) => c.switchTab(n),
  }) satisfies AppAction;

/** Every action, in the order menus list them. */
export const APP_ACTIONS = [
  { id: 'open', label: 'Open…', description: 'Open files', shortcut: keys('always', 'Mod+O'), enabled: always, run: (c) => c.openDialog() },
  {
    id: 'open-path',
    label: 'Open path…',
    description: 'Open a file by its path on this machine',
    // Electron's main process opens only paths the user chose (docs/security.md): Open… is the way there.
    shown: (c) => !c.info?.nativeDialogs,
    enabled: always,
    run: (c) => c.openPathPrompt(),
  },
  {
    id: 'paste-bytes',
    label: 'Paste bytes…',
    description: 'Paste bytes as hex or base64',
    shortcut: keys('always', 'Mod+Shift+V'),
    enabled: always,
    run: (c) => c.pasteBytes(),
  },
  { id: 'save', label: 'Save', shortcut: keys('always', 'Mod+S'), enabled: hasDoc, run: onActive((c, d) => c.save(d)) },
  { id: 'save-as', label: 'Save As…', shortcut: keys('always', 'Mod+Shift+S'), enabled: hasDoc, run: onActive((c, d) => c.saveAs(d)) },
  exportAction('json', 'as JSON', 'Export as JSON…'),
  exportAction('text', 'as text format', 'Export as Text Format…'),
  exportAction('hex', 'as hex', 'Export as Hex…'),
  exportAction('binary', 'binary (download)', 'Export the Bytes…'),
  { id: 'close-tab', label: 'Close Tab', shortcut: keys('menu', 'Mod+W'), enabled: hasDoc, run: onActive((c, d) => c.closeTab(d)) },
  // Text fields and the JSON editor keep their own undo: these keys work outside them.
  {
    id: 'undo',
    label: 'Undo',
    shortcut: keys('outside-text', 'Mod+Z'),
    enabled: (c) => !!c.active?.canUndo,
    run: onActive((c, d) => c.undo(d)),
  },
  {
    id: 'redo',
    label: 'Redo',
    shortcut: keys('outside-text', 'Mod+Shift+Z', 'Mod+Y'),
    enabled: (c) => !!c.active?.canRedo,
    run: onActive((c, d) => c.redo(d)),
  },
  { id: 'next-tab', label: 'Next Tab', shortcut: keys('always', 'Mod+Tab'), enabled: hasDoc, run: (c) => c.switchTab('next') },
  {
    id: 'previous-tab',
    label: 'Previous Tab',
    shortcut: keys('always', 'Mod+Shift+Tab'),
    enabled: hasDoc,
    run: (c) => c.switchTab('previous'),
  },
  ...([1, 2, 3, 4, 5, 6, 7, 8, 9] as const).map(tabAction),
  { id: 'find', label: 'Find in Tree', shortcut: keys('outside-text', 'Mod+F'), enabled: hasDoc, run: (c) => c.findInTree() },
  { id: 'toggle-hex', label: 'Hex', shortcut: keys('menu', 'Mod+Shift+H'), enabled: hasDoc, run: (c) => c.togglePane('hex') },
  { id: 'toggle-json', label: 'JSON / text', shortcut: keys('menu', 'Mod+Shift+J'), enabled: hasDoc, run: (c) => c.togglePane('text') },
  {
    id: 'toggle-schemas',
    label: 'Schemas',
    shortcut: keys('menu', 'Mod+Shift+P'),
    enabled: always,
    checked: (c) => c.schemasShown,
    run: (c) => c.toggleSchemas(),
  },
  {
    id: 'compare-with',
    label: 'Compare with…',
    itemLabel: 'with another message…',
    description: 'Compare this message with another open message, field by field',
    shortcut: keys('always', 'Mod+D'),
    enabled: hasDoc,
    run: (c) => c.compare('other'),
  },
  {
    id: 'compare-with-saved',
    label: 'Compare with saved',
    itemLabel: 'with the saved version',
    description: 'Compare this message with its saved version, field by field',
    shortcut: keys('always', 'Mod+Shift+D'),
    enabled: hasDoc,
    run: (c) => c.compare('saved'),
  },
  {
    id: 'about',
    label: 'About Protodesk',
    enabled: always,
    run: (c) => c.notify(`Protodesk ${c.info?.version ?? ''} — ${c.info?.mode ?? ''} mode`, 'info'),
  },
  // Esc cancels the long operation under way (when nothing else took the key).
  {
    id: 'cancel-task',
    label: 'Cancel',
    shortcut: keys('always', 'Escape'),
    shown: (c) => c.taskId !== null,
    enabled: (c) => c.taskId !== null,
    run: (c) => {
      if (c.taskId) c.cancelTask(c.taskId);
    },
  },
] as const satisfies readonly AppAction[];

/** The id of an app action. */
export type AppActionId = (typeof APP_ACTIONS)[number]['id'];

/** The actions of the Export… drop-down. */
export const EXPORT_ACTIONS: readonly AppActionId[] = ['export-json', 'export-text', 'export-hex', 'export-binary'];

/** The actions of the Compare… drop-down. */
export const COMPARE_ACTIONS: readonly AppActionId[] = ['compare-with', 'compare-with-saved'];

const byId = new Map<string, AppAction>(APP_ACTIONS.map((a) => [a.id, a]));

/** The action with this id. */
export function appAction(id: AppActionId): AppAction {
  return byId.get(id)!;
}

/** Runs an action if it can run now; says whether it ran. */
export function runAction(id: AppActionId, c: AppActionContext): boolean {
  const a = appAction(id);
  if (!a.enabled(c)) return false;
  a.run(c);
  return true;
}

/**
 * Runs the action a desktop menu item sent. Its parameter type is the contract's MenuCommand:
 * a menu command without an action here is a type error.
 */
export function runMenuCommand(command: MenuCommand, c: AppActionContext): boolean {
  return runAction(command, c);
}
