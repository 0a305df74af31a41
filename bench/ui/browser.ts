/** Chromium for the UI cases (the e2e tests' browser, through Playwright), a real file drop, and browser memory. */
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { resolveTestBrowser } from '../../testing/browser';
import { procMemory, type ServedApp } from './served-app';

/** Launches the e2e tests' Chromium headless with the flags this machine needs. */
export async function launchBrowser(): Promise<Browser> {
  const b = await resolveTestBrowser();
  return chromium.launch({ executablePath: b.executablePath, args: [...b.args, '--enable-precise-memory-info'], env: b.env });
}

/** Opens the app in a fresh page, signed in with the app's session cookie, and waits for its toolbar (one retry: the renderer may be being rebuilt). */
export async function openApp(browser: Browser, app: Pick<ServedApp, 'url' | 'cookie'>): Promise<Page> {
  const url = app.url;
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  const eq = app.cookie.indexOf('=');
  await page
    .context()
    .addCookies([{ name: app.cookie.slice(0, eq), value: app.cookie.slice(eq + 1), url, httpOnly: true, sameSite: 'Strict' }]);
  // tsx (esbuild keepNames) wraps named functions in __name(...), which the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url);
      await page.locator('[role="toolbar"]').waitFor({ timeout: 30_000 });
      return page;
    } catch (e) {
      if (attempt >= 2) throw new Error(`the app did not show its toolbar: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
  }
}

/** Puts a file from disk into a hidden file input of the page (zero-copy: Chromium reads it from disk), ready for dropFile. */
export async function stageFile(page: Page, path: string): Promise<void> {
  await page.evaluate(() => {
    document.getElementById('bench-file')?.remove();
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-file';
    input.style.display = 'none';
    document.body.appendChild(input);
  });
  await page.setInputFiles('#bench-file', path);
}

/**
 * In the page: drops the staged file on the drop zone (dragenter, dragover, drop with a
 * DataTransfer holding the File), then checks each named condition (a JS expression) every
 * animation frame. Resolves with, per name, ms from the drop to the first frame where it held
 * (also kept as performance marks `bench-drop` and `bench-<name>`), and the API requests made
 * meanwhile (Resource Timing, ms after the drop).
 */
export async function dropAndWait(page: Page, conditions: Record<string, string>, timeoutMs = 120_000): Promise<DropResult> {
  return page.evaluate(
    ({ conditions, timeoutMs }) =>
      new Promise<DropResult>((resolve, reject) => {
        const file = (document.getElementById('bench-file') as HTMLInputElement).files![0];
        const zone = document.querySelector('[data-testid="drop-zone"]')!;
        const dt = new DataTransfer();
        dt.items.add(file);
        const checks = Object.entries(conditions).map(([name, expr]) => ({
          name,
          check: new Function(`return (${expr});`) as () => boolean,
        }));
        const done: Record<string, number> = {};
        performance.clearMarks();
        performance.clearMeasures();
        performance.mark('bench-drop');
        const t0 = performance.now();
        for (const type of ['dragenter', 'dragover', 'drop'])
          zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        const tick = () => {
          for (const c of checks) {
            if (!(c.name in done) && c.check()) {
              performance.mark(`bench-${c.name}`);
              done[c.name] = performance.measure(c.name, 'bench-drop', `bench-${c.name}`).duration;
            }
          }
          if (Object.keys(done).length === checks.length) {
            const requests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
              .filter((e) => e.name.includes('/api/') && e.startTime >= t0)
              .map((e) => ({ method: e.name.slice(e.name.lastIndexOf('/') + 1), start: e.startTime - t0, end: e.responseEnd - t0 }));
            resolve({ times: done, requests });
          } else if (performance.now() - t0 > timeoutMs)
            reject(
              new Error(
                `not shown within ${timeoutMs} ms: ${checks
                  .filter((c) => !(c.name in done))
                  .map((c) => c.name)
                  .join(', ')}`,
              ),
            );
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { conditions, timeoutMs },
  );
}

/** An API request seen by the page after a drop (ms after the drop). */
export interface RequestTiming {
  method: string;
  start: number;
  end: number;
}

/** What dropAndWait measured. */
export interface DropResult {
  /** Per condition name: ms from the drop to the first frame where it held. */
  times: Record<string, number>;
  requests: RequestTiming[];
}

/** The requests as "method start→end ms" (the first of each method). */
export function formatRequests(requests: readonly RequestTiming[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of requests) {
    if (seen.has(r.method)) continue;
    seen.add(r.method);
    parts.push(`${r.method} ${r.start.toFixed(0)}→${r.end.toFixed(0)} ms`);
  }
  return parts.join(', ') || 'none seen';
}

/** In the page: waits (checking every animation frame) until `condition` holds; ms since the call. */
export async function waitFrames(page: Page, condition: string, timeoutMs = 120_000): Promise<number> {
  return page.evaluate(
    ({ condition, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const check = new Function(`return (${condition});`) as () => boolean;
        const t0 = performance.now();
        const tick = () => {
          if (check()) resolve(performance.now() - t0);
          else if (performance.now() - t0 > timeoutMs) reject(new Error(`condition not met within ${timeoutMs} ms: ${condition}`));
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { condition, timeoutMs },
  );
}

/** RSS of the Chromium processes started by this process (Playwright launches them as its descendants): all of them, and the largest (the page's renderer), in bytes. */
export function browserMemory(): { total: number; largest: number } {
  const procs = new Map<number, { ppid: number; comm: string }>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      procs.set(Number(e), { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), comm });
    } catch {
      // gone
    }
  }
  const tree = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of procs) {
      if (tree.has(p.ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let largest = 0;
  for (const pid of tree) {
    if (!/chrom/i.test(procs.get(pid)?.comm ?? '')) continue;
    const rss = procMemory(pid).rss;
    total += rss;
    largest = Math.max(largest, rss);
  }
  return { total, largest };
}

/** The page's JS heap in use (Chromium's performance.memory), in bytes. */
export async function pageHeap(page: Page): Promise<number> {
  return page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
}
