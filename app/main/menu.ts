/** The application menu: File, Edit, View, Help with the usual shortcuts; commands go to the renderer. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../core/api/contract';
import { openExternalLink } from './external-links';

/** What the menu needs from the app. */
export interface MenuActions {
  send(command: MenuCommand): void;
  openRecent(path: string): void;
  recent: readonly string[];
}

/** Builds and installs the menu. */
export function installMenu(actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const cmd = (label: string, command: MenuCommand, accelerator?: string, register = true): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: register } : {}),
    click: () => actions.send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        cmd('Open…', 'open', 'CmdOrCtrl+O'),
        {
          label: 'Open Recent',
          submenu: actions.recent.length
            ? actions.recent.map((p) => ({ label: p, click: () => actions.openRecent(p) }))
            : [{ label: 'No recent files', enabled: false }],
        },
        cmd('Paste Bytes…', 'paste-bytes', 'CmdOrCtrl+Shift+V'),
        { type: 'separator' },
        cmd('Save', 'save', 'CmdOrCtrl+S'),
        cmd('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
        {
          label: 'Export',
          submenu: [cmd('As JSON…', 'export-json'), cmd('As Text Format…', 'export-text'), cmd('As Hex…', 'export-hex')],
        },
        { type: 'separator' },
        cmd('Close Tab', 'close-tab', 'CmdOrCtrl+W'),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // Shown but not captured: the keys reach the page, where text fields and the JSON editor
        // keep their own undo and the tree's undo handles the rest.
        cmd('Undo', 'undo', 'CmdOrCtrl+Z', false),
        cmd('Redo', 'redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', false),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        cmd('Find in Tree', 'find', 'CmdOrCtrl+F', false),
      ],
    },
    {
      label: '&View',
      submenu: [
        cmd('Toggle Hex', 'toggle-hex', 'CmdOrCtrl+Shift+H'),
        cmd('Toggle JSON / Text', 'toggle-json', 'CmdOrCtrl+Shift+J'),
        cmd('Schemas', 'toggle-schemas', 'CmdOrCtrl+Shift+P'),
        { type: 'separator' },
        cmd('Compare With…', 'compare-with', 'CmdOrCtrl+D'),
        cmd('Compare With Saved', 'compare-with-saved', 'CmdOrCtrl+Shift+D'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        cmd('About Protodesk', 'about'),
        { label: 'Protocol Buffers Documentation', click: () => void openExternalLink('https://protobuf.dev/') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
