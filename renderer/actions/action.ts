/**
 * What an action is (a command the user can give from a menu, a key, a toolbar button or a
 * drop-down), and how keys are matched to actions. The app's actions are in app-actions.ts.
 */

/**
 * A key chord: modifiers and a key joined by "+", as the Electron menu writes accelerators:
 * "Mod+Shift+S" (Mod is Ctrl, or Cmd on macOS), "Escape".
 */
export type Chord = string;

/**
 * Where the page itself answers a shortcut's keys:
 * - 'always': also while typing in a field (Save, Open);
 * - 'outside-text': not while typing, where the field keeps its own meaning (Undo, Find);
 * - 'menu': only the desktop menu's accelerator answers (the browser keeps the key: Ctrl+W
 *   closes its tab, Ctrl+Shift+J opens its console), so only Electron shows the keys.
 */
export type ShortcutScope = 'always' | 'outside-text' | 'menu';

/** An action's keys: the first chord is the one menus show; the others do the same. */
export interface Shortcut {
  keys: readonly Chord[];
  scope: ShortcutScope;
}

/** One command: what it is called, its keys, when it can run and what it does, over a context `C`. */
export interface Action<C> {
  /** The id menus send (the Electron menu sends the contract's MenuCommand ids). */
  id: string;
  /** The button or menu item text. */
  label: string;
  /** What the tooltip says before the keys; the label without its "…" when absent. */
  description?: string;
  shortcut?: Shortcut;
  /** Whether the action is offered at all here (absent: always). */
  shown?: (c: C) => boolean;
  /** Whether it can run now (its button is disabled otherwise). */
  enabled: (c: C) => boolean;
  /** For a switch: whether it is on (its button shows pressed). */
  checked?: (c: C) => boolean;
  run: (c: C) => void;
}

/** A chord taken apart. */
interface ParsedChord {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  /** The key, lower case ("s", "escape"). */
  key: string;
}

function parseChord(chord: Chord): ParsedChord {
  const parts = chord.split('+');
  const key = parts[parts.length - 1].toLowerCase();
  const mods = new Set(parts.slice(0, -1).map((p) => p.toLowerCase()));
  return { mod: mods.has('mod'), shift: mods.has('shift'), alt: mods.has('alt'), key };
}

/** The parts of a key event a chord is matched against (a KeyboardEvent has them). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key press is the chord: the same key, and exactly the chord's modifiers (Ctrl or Cmd for Mod). */
export function matchesChord(e: KeyPress, chord: Chord): boolean {
  const c = parseChord(chord);
  return e.key.toLowerCase() === c.key && (e.ctrlKey || e.metaKey) === c.mod && e.shiftKey === c.shift && e.altKey === c.alt;
}

/** Whether a chord has the Mod key (such keys are the app's: the browser's own meaning, e.g. Ctrl+S's Save Page, never runs). */
export function hasMod(chord: Chord): boolean {
  return parseChord(chord).mod;
}

/** A chord as tooltips write it: "Ctrl+Shift+S", "Esc". */
export function chordText(chord: Chord): string {
  return chord
    .split('+')
    .map((p) => (p === 'Mod' ? 'Ctrl' : p === 'Escape' ? 'Esc' : p.length === 1 ? p.toUpperCase() : p))
    .join('+');
}

/** The keys of an action that work here ("Ctrl+Shift+Z / Ctrl+Y"), or '' (menu keys count only where there is a menu). */
export function keysText(action: Pick<Action<unknown>, 'shortcut'>, hasMenu: boolean): string {
  const s = action.shortcut;
  if (!s || (s.scope === 'menu' && !hasMenu)) return '';
  return s.keys.map(chordText).join(' / ');
}

/** An action's tooltip: its description and the keys that work here ("Save As (Ctrl+Shift+S)"). */
export function actionTitle(action: Pick<Action<unknown>, 'label' | 'description' | 'shortcut'>, hasMenu: boolean): string {
  const what = action.description ?? action.label.replace(/…$/, '');
  const keys = keysText(action, hasMenu);
  return keys ? `${what} (${keys})` : what;
}

/**
 * The action a key press asks for, among those the page answers: none for menu-only keys, nor
 * for 'outside-text' keys while typing (`typing`).
 */
export function actionForKey<A extends Pick<Action<never>, 'shortcut'>>(
  actions: readonly A[],
  e: KeyPress,
  typing: boolean,
): A | undefined {
  return actions.find((a) => {
    const s = a.shortcut;
    if (!s || s.scope === 'menu' || (s.scope === 'outside-text' && typing)) return false;
    return s.keys.some((k) => matchesChord(e, k));
  });
}
