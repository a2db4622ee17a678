// Time to first token: the playground in headless Chromium (click Send → the first streamed token is
// in the chat's DOM, through POST /build?event_delivery=direct) next to curl on
// /api/v1/run?stream=true (process start → the first `token` event on its output), same flow, same
// model stand-in (streaming its chunks at once), alternated, medians.
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { browserSkip, launchBrowser, startUiServer } from '../test-utils/browser.js';
import { LlmStandin } from '../test-utils/llm-standin.js';
import { startersSkip } from '../test-utils/paths.js';
import { chatFlow } from '../test/ui/playground-helpers.js';
import type { BenchRow } from './table.js';

const RUNS = 15;
const GOAL_ADDED_MS = 20;
const REPLY = { text: 'First token, then the rest', chunks: ['First ', 'token, ', 'then ', 'the rest'] };

/** Milliseconds from launching curl to the first token event on its output. */
function curlFirstToken(url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('curl', ['-sS', '--no-buffer', '-X', 'POST', url, '-H', 'Content-Type: application/json', '-H', `x-api-key: ${key}`, '--data', '{"input_value": "hi", "input_type": "chat", "output_type": "chat"}']);
    let output = '';
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!done && /"event":\s*"token"/.test(output)) {
        done = true;
        resolve(performance.now() - start);
      }
    });
    child.on('close', () => !done && reject(new Error(`curl ended without a token: ${output.slice(0, 300)}`)));
  });
}

/** Milliseconds from Send to the first streamed text of the answer in the chat's DOM. */
async function playgroundFirstToken(page: Page, flowId: string): Promise<number> {
  await page.goto(`/flow/${flowId}/playground`);
  await page.getByLabel('Message', { exact: true }).fill('hi');
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const answer = () => Array.from(document.querySelectorAll('[data-testid="chat-message"][data-sender="Machine"] [data-testid="chat-text"]')).some((n) => (n.textContent ?? '').length > 0);
        const before = document.querySelectorAll('[data-testid="chat-message"][data-sender="Machine"]').length;
        const observer = new MutationObserver(() => {
          if (document.querySelectorAll('[data-testid="chat-message"][data-sender="Machine"]').length > before && answer()) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const start = performance.now();
        (Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Send') as HTMLButtonElement).click();
      }),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function playgroundBench(): Promise<BenchRow[]> {
  const skip = browserSkip.skip || startersSkip.skip;
  if (skip) return [{ bench: 'playground', case: 'skipped', value: 0, unit: '', note: skip }];
  const standin = await new LlmStandin().start();
  standin.respondWith(() => REPLY);
  const [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true', OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused' })]);
  try {
    const token = ((await server.call('/api/v1/auto_login')).body as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}` };
    const flow = await server.call('/api/v1/flows/', { method: 'POST', headers, json: { name: 'TTFT', data: chatFlow(true) } });
    const flowId = (flow.body as { id: string }).id;
    const key = ((await server.call('/api/v1/api_key/', { method: 'POST', headers, json: { name: 'bench' } })).body as { api_key: string }).api_key;
    const url = `${server.url}/api/v1/run/${flowId}?stream=true`;
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    // Warm both paths (JIT, the app's code, connection pools).
    for (let i = 0; i < 3; i++) {
      await curlFirstToken(url, key);
      await playgroundFirstToken(page, flowId);
    }
    const curl: number[] = [];
    const ui: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      curl.push(await curlFirstToken(url, key));
      ui.push(await playgroundFirstToken(page, flowId));
    }
    await context.close();
    const [c, u] = [median(curl), median(ui)];
    return [
      { bench: 'playground', case: `curl /api/v1/run?stream=true: launch → first token event, median of ${RUNS}`, value: c, unit: 'ms', note: 'baseline (includes starting the curl process)' },
      {
        bench: 'playground',
        case: `playground: Send → first token in the chat's DOM (build, events in its response), median of ${RUNS}`,
        value: u,
        unit: 'ms',
        note: `UI adds ${(u - c).toFixed(1)} ms (goal ≤ ${GOAL_ADDED_MS}: ${u - c <= GOAL_ADDED_MS ? 'met' : 'NOT met'}); ratio ${(u / c).toFixed(2)}×`,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
    await standin.close();
  }
}
