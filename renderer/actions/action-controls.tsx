/** Toolbar controls made from the app's actions: a button, and a drop-down of several. */
import type { ButtonHTMLAttributes } from 'react';
import { actionTitle } from './action';
import { appAction, runAction, type AppActionContext, type AppActionId } from './app-actions';

/** Whether the host has a menu whose accelerators answer menu-only shortcuts (the desktop app). */
const hasMenu = (c: AppActionContext) => c.info?.mode === 'electron';

/** A button for an action: its label, its tooltip with the keys, disabled when it cannot run, pressed when a switch is on. */
export function ActionButton({
  id,
  context,
  ...rest
}: { id: AppActionId; context: AppActionContext } & Omit<
  ButtonHTMLAttributes<HTMLButtonElement>,
  'id' | 'onClick' | 'disabled' | 'title'
>) {
  const action = appAction(id);
  if (action.shown && !action.shown(context)) return null;
  return (
    <button
      {...rest}
      className={action.checked ? (action.checked(context) ? 'on' : '') : rest.className}
      disabled={!action.enabled(context)}
      onClick={() => runAction(id, context)}
      title={actionTitle(action, hasMenu(context))}
    >
      {action.label}
    </button>
  );
}

/** A drop-down of actions under a heading ("Export…"); disabled when none can run. */
export function ActionSelect({
  ids,
  heading,
  label,
  context,
}: {
  ids: readonly AppActionId[];
  heading: string;
  label: string;
  context: AppActionContext;
}) {
  const actions = ids.map(appAction).filter((a) => !a.shown || a.shown(context));
  return (
    <select
      disabled={!actions.some((a) => a.enabled(context))}
      value=""
      aria-label={label}
      onChange={(e) => {
        const id = e.target.value as AppActionId;
        e.target.value = '';
        if (id) runAction(id, context);
      }}
    >
      <option value="">{heading}</option>
      {actions.map((a) => (
        <option key={a.id} value={a.id} disabled={!a.enabled(context)}>
          {a.itemLabel ?? a.label}
        </option>
      ))}
    </select>
  );
}
