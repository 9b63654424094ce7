// A small client of Chromium's DevTools protocol over the browser's own --remote-debugging-pipe (Debian's chromium
// and nodejs: no npm package, no download), shared by the browser tests: start, open a page, evaluate, click, close.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = ms => new Promise(r => setTimeout(r, ms));

export function startBrowser(browser) {
  const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  const chromium = spawn(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'],
    {stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe']});

  // The pipe carries JSON messages each ended by a NUL byte: commands on fd 3, answers and events on fd 4.
  let nextId = 0, pending = Buffer.alloc(0);
  const waiting = new Map();
  chromium.stdio[4].on('data', chunk => {
    pending = Buffer.concat([pending, chunk]);
    for (let end; (end = pending.indexOf(0)) >= 0; pending = pending.subarray(end + 1)) {
      const message = JSON.parse(pending.subarray(0, end).toString('utf8'));
      if (message.id !== undefined && waiting.has(message.id)) {
        const {resolve, reject} = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) reject(new Error(JSON.stringify(message.error)));
        else resolve(message.result);
      }
    }
  });
  function send(method, params = {}, sessionId = undefined) {
    const id = ++nextId;
    chromium.stdio[3].write(JSON.stringify({id, method, params, sessionId}) + '\0');
    return new Promise((resolve, reject) => waiting.set(id, {resolve, reject}));
  }
  async function evaluate(sessionId, expression) {
    const r = await send('Runtime.evaluate', {expression, returnByValue: true, awaitPromise: true}, sessionId);
    if (r.exceptionDetails) throw new Error(`page error: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }
  /// Waits until `expression` is true in the page (50 ms polls, at most `ms`).
  async function waitFor(sessionId, expression, what, ms = 10000) {
    for (let t = 0; t < ms; t += 50) {
      if (await evaluate(sessionId, expression).catch(() => false)) return;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  /// A new tab of `width` px showing `url`, once `ready` (an expression) is true there.
  async function open(url, width, ready) {
    const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
    const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true});
    await send('Emulation.setDeviceMetricsOverride', {width, height: 900, deviceScaleFactor: 1, mobile: false}, sessionId);
    await send('Page.navigate', {url}, sessionId);
    await waitFor(sessionId, ready, `${url} to be ready`);
    return {targetId, sessionId};
  }
  /// A real click: mouse events at the centre of the first element `selector` matches, scrolled into view.
  async function click(sessionId, selector) {
    const at = await evaluate(sessionId, `(() => {
      const e = document.querySelector(${JSON.stringify(selector)});
      if (!e) return null;
      e.scrollIntoView({block: 'center', inline: 'nearest'});
      const r = e.getBoundingClientRect();
      return {x: r.left + Math.min(r.width / 2, 20), y: r.top + r.height / 2};
    })()`);
    if (!at) throw new Error(`nothing on the page matches ${selector}`);
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased'])
      await send('Input.dispatchMouseEvent', {type, x: at.x, y: at.y, button: 'left', clickCount: 1}, sessionId);
  }
  async function close() {
    const exited = new Promise(resolve => chromium.once('exit', resolve));
    await Promise.race([send('Browser.close').catch(() => {}), sleep(5000)]);
    await Promise.race([exited, sleep(5000)]);
    chromium.kill('SIGKILL');
    rmSync(profile, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
  }
  return {send, evaluate, waitFor, open, click, close};
}
