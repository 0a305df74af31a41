/** The keyboard shortcuts of a set of actions, answered on the window. */
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../shared/util';
import { actionForKey, hasMod, matchesChord, type Action, type KeyPress } from './action';

/**
 * What a key press does to the actions: the action it runs (if it can run now), and whether the
 * page keeps the key from the browser. A chord with Mod is always kept (Ctrl+S never opens the
 * browser's Save Page, even with nothing to save); a key without one (Esc) is left to whatever
 * already took it (`e.defaultPrevented`) and otherwise passed on.
 */
export function shortcutOutcome<C>(
  actions: readonly Action<C>[],
  e: KeyPress & { defaultPrevented: boolean },
  typing: boolean,
  context: C,
): { run: Action<C> | null; preventDefault: boolean } {
  const action = actionForKey(actions, e, typing);
  if (!action) return { run: null, preventDefault: false };
  const withMod = action.shortcut!.keys.some((k) => hasMod(k) && matchesChord(e, k));
  if (!withMod && e.defaultPrevented) return { run: null, preventDefault: false };
  return { run: action.enabled(context) ? action : null, preventDefault: withMod };
}

/** Answers the actions' shortcuts while mounted; `context` is read when a key is pressed. */
export function useShortcuts<C>(actions: readonly Action<C>[], context: C): void {
  const latest = useRef(context);
  latest.current = context;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { run, preventDefault } = shortcutOutcome(actions, e, isTypingTarget(e.target), latest.current);
      if (preventDefault) e.preventDefault();
      run?.run(latest.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
