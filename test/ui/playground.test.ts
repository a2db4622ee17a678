import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { startersSkip } from '../../test-utils/paths.js';
import { autoLoginToken, createFlow, nodeTitled, openEditor, type Json } from './editor-helpers.js';
import { assertAccessible, chatFlow, textFlow } from './playground-helpers.js';

// The playground against a real server and a model stand-in (OpenAI protocol over loopback): tokens
// streamed into the chat one by one, sessions, message edits persisted, attachments, a failing run.
describe('the playground', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let flowId: string;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const messagesOf = async (session: string) => {
    const answer = await server.call(`/api/v1/monitor/messages?flow_id=${flowId}&session_id=${encodeURIComponent(session)}`, { headers: auth() });
    assert.equal(answer.status, 200, answer.text);
    return answer.body as Json[];
  };
  const sessions = async () => (await server.call(`/api/v1/monitor/messages/sessions?flow_id=${flowId}`, { headers: auth() })).body as string[];
  const chat = () => page.locator('.playground');
  const bot = () => chat().locator('[data-testid="chat-message"][data-sender="Machine"]');

  async function send(text: string): Promise<void> {
    await chat().getByLabel('Message', { exact: true }).fill(text);
    await chat().getByRole('button', { name: 'Send' }).click();
  }
  async function idle(): Promise<void> {
    await chat().getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
  }

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true', OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused' })]);
    token = await autoLoginToken(server);
    ({ context, page, errors } = await openPage(browser, server, '/'));
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    flowId = await createFlow(server, token, 'Chat with me', chatFlow(true));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test('a streamed answer arrives token by token in the chat, and the canvas shows each component done', async () => {
    standin.enqueue({ text: 'Alpha beta gamma delta', chunks: ['Alpha ', 'beta ', 'gamma ', 'delta'], chunkDelayMs: 250 });
    await openEditor(page, flowId);
    await page.getByRole('button', { name: 'Playground' }).click();
    await chat().waitFor();
    // Every text the streaming message shows, as the DOM changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const last = Array.from(document.querySelectorAll('[data-testid="chat-message"][data-sender="Machine"] [data-testid="chat-text"]')).at(-1);
        const text = last?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await send('Hello');
    await bot().filter({ hasText: 'Alpha beta gamma delta' }).waitFor({ timeout: 30_000 });
    await idle();
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    assert.deepEqual(seen.slice(0, 4), ['Alpha ', 'Alpha beta ', 'Alpha beta gamma ', 'Alpha beta gamma delta'], `the tokens one by one: ${JSON.stringify(seen)}`);
    assert.equal(standin.chatRequests[0].body.stream, true);
    for (const title of ['Chat Input', 'Prompt', 'Language Model', 'Chat Output']) assert.match(await nodeTitled(page, title).getByTestId('run-status').innerText(), /^Done/, title);
    const stored = await messagesOf(flowId);
    assert.deepEqual(stored.map((m) => [m.sender, m.text]), [['User', 'Hello'], ['Machine', 'Alpha beta gamma delta']]);
    await screenshot(page, 'playground-panel');
    await assertAccessible(page, 'playground panel');
  });

  test('sessions: a new session has its own history; switch back, rename, delete', async () => {
    await page.goto(`/flow/${flowId}/playground`);
    await chat().waitFor();
    await bot().filter({ hasText: 'Alpha beta gamma delta' }).waitFor();
    await chat().getByRole('button', { name: '+ New session' }).click();
    assert.equal(await bot().count(), 0, 'a new session starts empty');
    standin.enqueue('second session answer');
    await send('In a new session');
    await bot().filter({ hasText: 'second session answer' }).waitFor({ timeout: 30_000 });
    await idle();
    const all = await sessions();
    assert.equal(all.length, 2, JSON.stringify(all));
    const second = all.find((s) => s !== flowId)!;
    await chat().getByRole('button', { name: 'Default session', exact: true }).click();
    await bot().filter({ hasText: 'Alpha beta gamma delta' }).waitFor();
    assert.equal(await bot().filter({ hasText: 'second session answer' }).count(), 0);

    await chat().getByRole('button', { name: `Rename session ${second}` }).click();
    await chat().getByLabel(`New name for ${second}`).fill('Renamed chat');
    await chat().getByRole('button', { name: 'Save' }).click();
    await chat().getByRole('button', { name: 'Renamed chat', exact: true }).waitFor();
    assert.deepEqual((await sessions()).sort(), [flowId, 'Renamed chat'].sort());
    assert.equal((await messagesOf('Renamed chat')).length, 2);

    await chat().getByRole('button', { name: 'Delete session Renamed chat' }).click();
    await chat().getByRole('button', { name: 'Renamed chat', exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual(await sessions(), [flowId]);
    assert.equal((await messagesOf('Renamed chat')).length, 0);
    await screenshot(page, 'playground-page');
    await assertAccessible(page, 'playground page');
  });

  test('a message edited in the chat is stored; a deleted one is gone; copy puts the text on the clipboard', async () => {
    await page.goto(`/flow/${flowId}/playground`);
    const answer = bot().filter({ hasText: 'Alpha beta gamma delta' });
    await answer.waitFor();
    await answer.getByRole('button', { name: /^Copy/ }).click();
    await chat().getByText('Copied to the clipboard').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Alpha beta gamma delta');

    await answer.getByRole('button', { name: /^Edit/ }).click();
    await chat().getByLabel('Edit the message').fill('An edited answer');
    await chat().getByRole('button', { name: 'Save' }).click();
    await bot().filter({ hasText: 'An edited answer' }).waitFor();
    await page.waitForTimeout(300);
    await page.reload();
    await bot().filter({ hasText: 'An edited answer' }).waitFor();
    assert.match(await bot().first().innerText(), /\(edited\)/);
    const stored = await messagesOf(flowId);
    assert.equal(stored.find((m) => m.sender === 'Machine')?.text, 'An edited answer');

    const user = chat().locator('[data-testid="chat-message"][data-sender="User"]').first();
    await user.getByRole('button', { name: /^Delete/ }).click();
    await user.waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    assert.deepEqual((await messagesOf(flowId)).map((m) => m.sender), ['Machine']);
  });

  test('a failing model shows the component error inside the chat', async () => {
    standin.enqueue({ status: 400, error: { message: 'the model is down' } });
    await page.goto(`/flow/${flowId}/playground`);
    await chat().waitFor();
    await send('Will fail');
    const failure = chat().locator('.pg-message.error');
    await failure.waitFor({ timeout: 30_000 });
    const text = await failure.innerText();
    assert.match(text, /Language Model/, text);
    assert.match(text, /the model is down/, text);
    await idle();
  });

  test('Stop in the chat closes the build stream: the server cancels the run and the model request', async () => {
    standin.reset();
    standin.enqueue({ hang: true });
    await page.goto(`/flow/${flowId}/playground`);
    await chat().waitFor();
    await send('Never answered');
    await chat().getByRole('button', { name: 'Stop' }).click();
    await Promise.race([standin.requestClosed(), new Promise((_, reject) => setTimeout(() => reject(new Error('the model request was never closed')), 15_000))]);
    await idle();
  });

  test('a file attached to the message is uploaded through the files API and sent with it', async () => {
    standin.enqueue('got your file');
    await page.goto(`/flow/${flowId}/playground`);
    await chat().waitFor();
    await chat().getByLabel('Attach files').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('some notes') });
    await chat().getByRole('list', { name: 'Attached files' }).getByText(/notes\.txt/).waitFor();
    await send('Here is a file');
    await bot().filter({ hasText: 'got your file' }).waitFor({ timeout: 30_000 });
    await idle();
    const user = (await messagesOf(flowId)).find((m) => m.text === 'Here is a file');
    assert.ok(user, 'the message is stored');
    const files = user.files as string[];
    assert.equal(files.length, 1);
    assert.match(files[0], new RegExp(`^${flowId}/.*notes\\.txt$`));
    const listed = await server.call(`/api/v1/files/list/${flowId}`, { headers: auth() });
    assert.match(listed.text, /notes\.txt/);
    await chat().locator('.pg-file', { hasText: 'notes.txt' }).first().waitFor();
  });

  test('the chat works from the keyboard: Tab to the message box, Enter sends, Tab reaches the session controls', async () => {
    standin.enqueue('typed with keys');
    await page.goto(`/flow/${flowId}/playground`);
    await chat().waitFor();
    await chat().getByRole('button', { name: '+ New session' }).focus();
    await page.keyboard.press('Enter');
    // Tab moves forward through the session controls and the chat until the message box has the focus.
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Message')); i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Message');
    await page.keyboard.type('from the keyboard');
    await page.keyboard.press('Enter');
    await bot().filter({ hasText: 'typed with keys' }).waitFor({ timeout: 30_000 });
    await idle();
    const focusable = await page.evaluate(() => Array.from(document.querySelectorAll('.playground button, .playground textarea, .playground input:not([type="file"])')).filter((el) => (el as HTMLElement).tabIndex < 0 && !(el as HTMLInputElement).disabled).length);
    assert.equal(focusable, 0, 'no control is taken out of the tab order');
  });

  test('Text Input and Text Output appear as fields beside the chat', async () => {
    const textId = await createFlow(server, token, 'Text only', textFlow());
    await page.goto(`/flow/${textId}/playground`);
    const field = chat().getByLabel('Text Input', { exact: true });
    await field.waitFor();
    assert.equal(await field.inputValue(), 'typed before');
    await field.fill('typed beside the chat');
    await chat().getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="text-output"]') as HTMLTextAreaElement | null)?.value === 'typed beside the chat', undefined, { timeout: 30_000 });
    await screenshot(page, 'playground-text-fields');
    await assertAccessible(page, 'playground with text fields');
    assert.deepEqual(errors, []);
  });
});
