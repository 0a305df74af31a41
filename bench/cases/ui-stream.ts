/** Case 4 (UI part): drop a big delimited stream on the browser-served UI; time until the message list is shown; memory. */
import { runsWithinBudget, type BenchCase } from '../case';
import { streamFile } from '../inputs';
import { limitRow, notMeasuredRow, timedOutRow, valueRow, type Row } from '../report';
import { formatBytes, formatMs, summarize } from '../stats';
import { browserMemory, dropAndWait, formatRequests, launchBrowser, openApp, pageHeap, stageFile, type DropResult } from '../ui/browser';
import { buildRendererIfNeeded, startServedApp } from '../ui/served-app';

/** Rows of the message list exist (the list is laid out, contents may still be loading). */
const LIST_ROWS = `document.querySelector('[data-testid="stream-list"] .stream-item') !== null`;
/** The first row shows its message's size, so the first page of the list has arrived. */
const LIST_FILLED = `[...document.querySelectorAll('[data-testid="stream-list"] .stream-item[data-index="0"] .muted')].some((e) => /\\d B$/.test(e.textContent ?? ''))`;

/** Runs case 4's UI part. */
export const uiStreamCase: BenchCase = async (config) => {
  const id = '4b';
  const name = 'stream UI: drop to message list shown';
  const file = streamFile(config.streamMessages, config.streamBytes);
  const label = `${formatBytes(file.bytes)}, ${file.messages.toLocaleString()} msgs`;
  const buildError = buildRendererIfNeeded();
  if (buildError) return [notMeasuredRow(id, name, '≤ 1.00 s', buildError)];
  let app;
  try {
    app = await startServedApp();
  } catch (e) {
    return [notMeasuredRow(id, name, '≤ 1.00 s', `protodesk serve does not start: ${(e as Error).message}`)];
  }
  const browser = await launchBrowser();
  const fullName = `stream UI: drop to message list shown (${label})`;
  try {
    const idle = app.memory();
    const filled: number[] = [];
    const rows: number[] = [];
    let memory = '';
    let memoryCell = '';
    let lastRequests = '';
    let memOk: boolean | null = null;
    let countShown = '';
    let runs = config.runs;
    for (let i = -1; i < runs; i++) {
      await app.closeAll();
      const page = await openApp(browser, app);
      await stageFile(page, file.path);
      let drop: DropResult;
      try {
        drop = await dropAndWait(page, { rows: LIST_ROWS, filled: LIST_FILLED }, config.uiTimeoutMs);
      } catch (e) {
        const mem = app.memory();
        return [
          timedOutRow(id, fullName, 1000, config.uiTimeoutMs, [
            `${(e as Error).message.split('\n')[0]}; server RSS then ${formatBytes(mem.rss)}, peak ${formatBytes(mem.peak)}`,
          ]),
        ];
      }
      const t = drop.times;
      lastRequests = formatRequests(drop.requests);
      if (i === -1) {
        countShown = (await page.locator('.stream-pane .pane-title .muted').first().textContent()) ?? '';
        const server = app.memory();
        const browserMem = browserMemory();
        const heap = await pageHeap(page);
        const ratio = server.peak / file.bytes;
        memOk = ratio <= 3;
        memoryCell = `server peak ${formatBytes(server.peak)} (${ratio.toFixed(2)}x)`;
        memory = `server RSS ${formatBytes(server.rss)}, peak ${formatBytes(server.peak)} (${ratio.toFixed(2)}x file; idle ${formatBytes(idle.rss)}); browser RSS ${formatBytes(browserMem.total)} in all, largest process ${formatBytes(browserMem.largest)} (${(browserMem.largest / file.bytes).toFixed(2)}x); page JS heap ${formatBytes(heap)}`;
        runs = runsWithinBudget(config, t.filled + 3000);
      } else {
        filled.push(t.filled);
        rows.push(t.rows);
      }
      await page.close();
    }
    const timing = summarize(filled);
    const out: Row[] = [
      limitRow(id, fullName, timing, 1000, [
        `list rows laid out ${formatMs(summarize(rows).median)} after the drop; first page filled ${formatMs(timing.median)} (min/max ${formatMs(timing.min)}/${formatMs(timing.max)}, ${timing.runs} runs${timing.runs < config.runs ? `: fewer, to stay within the UI time budget of ${config.uiBudgetMs / 1000} s` : ''})`,
        `message count shown: ${countShown || '?'} (expected ${file.messages.toLocaleString()})`,
        `API requests in the last run, ms after the drop (request sent → answer received): ${lastRequests}`,
      ]),
      valueRow('4d', 'stream UI: memory with the stream open', memoryCell, '≤ 3x file', memOk, [
        memory,
        'judged on the server process peak (it holds the file and the index); the browser is listed beside it',
      ]),
    ];
    return out;
  } finally {
    await browser.close();
    await app.stop();
  }
};
