/**
 * The CLI process: `main` with the serve command wired in (cli/ may not import server/).
 * bin/protodesk runs it from the prebuilt bundle (dist/cli/) when that is up to date, else
 * through tsx; scripts/build.mjs bundles it.
 */
import type { CommandEntry } from '../cli/command';
import { main } from '../cli/main';
import { installCrashGuard } from '../cli/error-report';

const serve: CommandEntry = {
  summary: 'serve the Protodesk UI in the browser (127.0.0.1 only)',
  load: async () => (await import('../server/serve-command')).serveCommand,
};

installCrashGuard();
process.exitCode = await main(process.argv.slice(2), { serve });
