import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildEvent } from '../src/editor/run-state';
import { applyChatEvent, localUserMessage, type ChatMessage } from '../src/playground/chat-state';
import { flowIo, withTextInputs } from '../src/playground/flow-io';

const fold = (events: BuildEvent[], start: ChatMessage[] = []): ChatMessage[] => events.reduce(applyChatEvent, start);
const message = (id: string, sender: string, text: string, state = 'complete') => ({ event: 'add_message', data: { id, sender, sender_name: sender === 'User' ? 'User' : 'AI', text, session_id: 's', files: [], properties: { state } } });

describe('the chat from the build events', () => {
  it("replaces the user's local message with the server's, then streams the answer's tokens into it", () => {
    const chat = fold(
      [message('u1', 'User', 'hi'), message('m1', 'Machine', '', 'partial'), { event: 'token', data: { id: 'm1', chunk: 'Hel' } }, { event: 'token', data: { id: 'm1', chunk: 'lo' } }],
      [localUserMessage('hi', 's', [])],
    );
    assert.deepEqual(chat.map((m) => [m.id, m.text, !!m.streaming]), [['u1', 'hi', false], ['m1', 'Hello', true]]);
    const done = fold([{ event: 'end', data: {} }], chat);
    assert.equal(done[1].streaming, false);
  });

  it('keeps streamed text when the streaming message is sent again empty, and takes the final text when it comes', () => {
    const chat = fold([message('m1', 'Machine', '', 'partial'), { event: 'token', data: { id: 'm1', chunk: 'abc' } }, message('m1', 'Machine', '', 'partial')]);
    assert.equal(chat[0].text, 'abc');
    assert.equal(fold([message('m1', 'Machine', 'abc!')], chat)[0].text, 'abc!');
  });

  it("shows an error event (Langflow's ErrorMessage) as an error message; a cancelled run adds none; remove_message drops one", () => {
    const chat = fold([message('m1', 'Machine', 'x'), { event: 'error', data: { text: 'Error building Component Language Model: down', sender_name: 'Language Model', category: 'error' } }]);
    assert.equal(chat.length, 2);
    assert.equal(chat[1].error, true);
    assert.equal(chat[1].sender_name, 'Language Model');
    assert.equal(fold([{ event: 'error', data: { cancelled: true } }]).length, 0);
    assert.deepEqual(fold([{ event: 'remove_message', data: { id: 'm1' } }], chat).map((m) => m.id), [chat[1].id]);
  });
});

describe("the flow's playground inputs and outputs", () => {
  const node = (id: string, type: string, template: Record<string, unknown> = {}) => ({ id, data: { type, node: { display_name: type, template } } });
  it('finds the Chat Input (and whether it takes files), Text Inputs and Text Outputs', () => {
    const io = flowIo({ nodes: [node('c', 'ChatInput', { files: { value: [] } }), node('t', 'TextInput', { input_value: { value: 'v' } }), node('o', 'TextOutput')], edges: [] });
    assert.equal(io.hasChat, true);
    assert.equal(io.acceptsFiles, true);
    assert.deepEqual(io.textInputs.map((n) => [n.id, n.value]), [['t', 'v']]);
    assert.deepEqual(io.textOutputs.map((n) => n.id), ['o']);
    assert.equal(flowIo({ nodes: [node('o', 'ChatOutput')], edges: [] }).chatInput, null);
  });

  it("sets the typed Text Input values on a copy of the flow", () => {
    const data = { nodes: [node('t', 'TextInput', { input_value: { value: 'old', show: true } })], edges: [] };
    const changed = withTextInputs(data, { t: 'new' });
    assert.deepEqual((changed.nodes[0] as unknown as { data: { node: { template: { input_value: unknown } } } }).data.node.template.input_value, { value: 'new', show: true });
    assert.equal((data.nodes[0].data.node.template.input_value as { value: string }).value, 'old');
  });
});
