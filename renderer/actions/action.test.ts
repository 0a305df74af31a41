import { describe, expect, it } from 'vitest';
import { actionForKey, actionTitle, chordText, matchesChord, type KeyPress } from './action';

/** A key press: the key and the modifiers named. */
function press(key: string, ...mods: ('ctrl' | 'meta' | 'shift' | 'alt')[]): KeyPress {
  return {
    key,
    ctrlKey: mods.includes('ctrl'),
    metaKey: mods.includes('meta'),
    shiftKey: mods.includes('shift'),
    altKey: mods.includes('alt'),
  };
}

describe('matchesChord', () => {
  it('Mod is Ctrl or Cmd; the modifiers must be exactly those of the chord', () => {
    expect(matchesChord(press('s', 'ctrl'), 'Mod+S')).toBe(true);
    expect(matchesChord(press('s', 'meta'), 'Mod+S')).toBe(true);
    expect(matchesChord(press('s'), 'Mod+S')).toBe(false);
    expect(matchesChord(press('S', 'ctrl', 'shift'), 'Mod+S')).toBe(false);
    expect(matchesChord(press('S', 'ctrl', 'shift'), 'Mod+Shift+S')).toBe(true);
    expect(matchesChord(press('s', 'ctrl', 'alt'), 'Mod+S')).toBe(false);
    expect(matchesChord(press('Escape'), 'Escape')).toBe(true);
    expect(matchesChord(press('Escape', 'ctrl'), 'Escape')).toBe(false);
  });
});

describe('tooltips', () => {
  it('write chords as users read them', () => {
    expect(chordText('Mod+Shift+V')).toBe('Ctrl+Shift+V');
    expect(chordText('Escape')).toBe('Esc');
  });

  it('name the keys that work here: menu-only keys only where there is a menu', () => {
    const redo = { label: 'Redo', shortcut: { keys: ['Mod+Shift+Z', 'Mod+Y'], scope: 'outside-text' as const } };
    expect(actionTitle(redo, false)).toBe('Redo (Ctrl+Shift+Z / Ctrl+Y)');
    const schemas = { label: 'Schemas', shortcut: { keys: ['Mod+Shift+P'], scope: 'menu' as const } };
    expect(actionTitle(schemas, false)).toBe('Schemas');
    expect(actionTitle(schemas, true)).toBe('Schemas (Ctrl+Shift+P)');
    expect(actionTitle({ label: 'Save As…', shortcut: { keys: ['Mod+Shift+S'], scope: 'always' } }, false)).toBe('Save As (Ctrl+Shift+S)');
    expect(actionTitle({ label: 'Open…', description: 'Open files' }, false)).toBe('Open files');
  });
});

describe('actionForKey', () => {
  const actions = [
    { id: 'save', shortcut: { keys: ['Mod+S'], scope: 'always' as const } },
    { id: 'undo', shortcut: { keys: ['Mod+Z'], scope: 'outside-text' as const } },
    { id: 'close', shortcut: { keys: ['Mod+W'], scope: 'menu' as const } },
    { id: 'about' },
  ];
  it('finds the action of a chord; while typing, only the ones that also work in text fields; never menu-only ones', () => {
    expect(actionForKey(actions, press('s', 'ctrl'), false)?.id).toBe('save');
    expect(actionForKey(actions, press('s', 'ctrl'), true)?.id).toBe('save');
    expect(actionForKey(actions, press('z', 'ctrl'), false)?.id).toBe('undo');
    expect(actionForKey(actions, press('z', 'ctrl'), true)).toBeUndefined();
    expect(actionForKey(actions, press('w', 'ctrl'), false)).toBeUndefined();
    expect(actionForKey(actions, press('q', 'ctrl'), false)).toBeUndefined();
  });
});
