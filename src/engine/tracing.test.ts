import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateTokens, MAX_SPANS_PER_TRACE, spanTypeOf, totalTokens, Trace } from './tracing.js';

test('spans: a tree under the trace, ended once, error status with the message', () => {
  const trace = new Trace();
  const agent = trace.startSpan('Agent', 'agent', { vertexId: 'Agent-1' });
  const call = agent.startSpan('chat m', 'llm', { modelName: 'm', provider: 'OpenAI' });
  call.end({ outputs: { text: 'hi' }, tokenUsage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } });
  call.end({ error: 'late' });
  agent.end({ error: 'boom' });
  assert.deepEqual(trace.spans.map((s) => [s.name, s.parentId === null ? null : 'child', s.status, s.error]), [
    ['Agent', null, 'error', 'boom'],
    ['chat m', 'child', 'ok', null],
  ]);
  assert.equal(trace.spans[1].parentId, trace.spans[0].id);
  assert.ok(trace.spans.every((s) => s.endTime !== null && s.endTime >= s.startTime));
  assert.equal(totalTokens(trace.spans), 5);
});

test('a trace keeps at most MAX_SPANS_PER_TRACE spans and counts the rest', () => {
  const trace = new Trace();
  for (let i = 0; i < MAX_SPANS_PER_TRACE + 3; i++) trace.startSpan(`s${i}`, 'chain').startSpan('child', 'llm').end();
  assert.equal(trace.spans.length, MAX_SPANS_PER_TRACE);
  assert.ok(trace.dropped > 0);
});

test('span types and token estimates', () => {
  assert.equal(spanTypeOf({ type: 'Agent', category: 'models_and_agents', outputs: [] }), 'agent');
  assert.equal(spanTypeOf({ type: 'OpenAIModel', category: 'models_and_agents', outputs: [{ name: 'model_output', types: ['LanguageModel'] }] }), 'llm');
  assert.equal(spanTypeOf({ type: 'ChatInput', category: 'input_output', outputs: [{ name: 'message', types: ['Message'] }] }), 'chain');
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('12345'), 2);
});
