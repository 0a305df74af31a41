/**
 * The native questions main asks before the page may do something the user has not chosen yet:
 * saving over a file that was opened for reading only, and sending to a service not sent to
 * before. Native dialogs, because the page (the one asking) cannot click them.
 */
import { dialog, type BrowserWindow } from 'electron';
import { basename } from 'node:path';

/** Answers of a two-button question: the first button goes ahead. */
const GO = 0;
const CANCEL = 1;

/** Asks before writing over a file that was only granted for reading; true when the user says Save. */
export async function confirmSaveOver(win: BrowserWindow | null, path: string): Promise<boolean> {
  if (!win) return false;
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Save', 'Cancel'],
    defaultId: GO,
    cancelId: CANCEL,
    title: 'Save over this file?',
    message: `Save over ${basename(path)}?`,
    detail: `${path}\n\nThis file was opened for reading only (from a schemas folder, the recent files or a recovered document). Saving writes your changes over it.`,
  });
  return response === GO;
}

/** Asks before the Replay pane first sends to an origin; true when the user says Send. */
export async function confirmReplayTarget(win: BrowserWindow | null, origin: string): Promise<boolean> {
  if (!win) return false;
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Send', 'Cancel'],
    defaultId: GO,
    cancelId: CANCEL,
    title: 'Send to a new address?',
    message: `Send requests to ${origin}?`,
    detail:
      'The Replay pane has not sent there before. Protodesk sends only where you confirm, so a hostile message or schema cannot make it reach other services on your network.',
  });
  return response === GO;
}
