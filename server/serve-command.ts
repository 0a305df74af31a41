/**
 * `protodesk serve [--port N] [FILES...]`: the browser-served mode. Serves the built renderer
 * and the ProtodeskApi contract on http://127.0.0.1:PORT; files given open as tabs.
 */
import { parseArgs } from 'node:util';
import { InputError, UsageError, type CliIO, type Command } from '../cli/command';
import { listenErrorSentence } from '../cli/error-report';
import { ensureUiBuilt } from './ui-build';
import { PACKAGE_ROOT, startWorkbenchServer } from './workbench-server';

/** The serve sub-command. */
export const serveCommand: Command = {
  usage: `usage: protodesk serve [--port N] [--open] [FILES...]

Serves the same UI as the desktop app at http://127.0.0.1:PORT (default 7777; 0 picks a free
port), with the files given open in tabs. Prints a link with a one-time key: opening it signs
that browser in (a cookie), and a new link is printed for the next browser. Without it, other
users of this machine and other web pages get nothing. Ctrl+C stops it.

options:
  --port N       port to listen on (default 7777)
  --renderer DIR built renderer to serve (default: dist/renderer of this package, built
                 first when it is missing or older than its sources)
  --state FILE   where remembered types and recent files are kept (default: ~/.config/protodesk/state.json)
  --no-state     keep them in memory only (and no crash-recovery journal)
  --recovery-dir DIR
                 where unsaved documents are journaled, to be offered back after a crash
                 (default: recovery/ beside the state file)`,
  async run(argv: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          port: { type: 'string' },
          renderer: { type: 'string' },
          state: { type: 'string' },
          'no-state': { type: 'boolean' },
          'recovery-dir': { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const port = parsed.values.port === undefined ? 7777 : Number(parsed.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port needs a number 0..65535 (got ${parsed.values.port})`);
    if (!parsed.values.renderer) await ensureUiBuilt(PACKAGE_ROOT, io);
    let server;
    try {
      server = await startWorkbenchServer({
        port,
        cwd: io.cwd,
        files: parsed.positionals,
        ...(parsed.values.renderer ? { rendererDir: parsed.values.renderer } : {}),
        ...(parsed.values['no-state'] ? { stateFile: null } : parsed.values.state ? { stateFile: parsed.values.state } : {}),
        ...(parsed.values['recovery-dir'] ? { recoveryDir: parsed.values['recovery-dir'] } : {}),
        onLink: (link) => io.stdout.write(`That link has been used. To open Protodesk in another browser: ${link}\n`),
      });
    } catch (e) {
      const listen = listenErrorSentence(e);
      throw listen ? new InputError(listen) : e;
    }
    io.stdout.write(`Protodesk is serving at ${server.link()}\nOpen that link in your browser (it works once; it signs the browser in).\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        void server.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
