import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppShell } from './shell/app-shell';
// The styles, in cascade order: the base first, then each feature's.
import './shared/base.css';
import './shell/shell.css';
import './document/document.css';
import './document/panes.css';
import './document/encoding.css';
import './replay/replay.css';
import './schemas/schemas.css';
import './capture/capture.css';
import './diff/diff.css';
import './dialogs/dialogs.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppShell />
  </StrictMode>,
);
