// Flows for the playground's browser tests: Basic Prompting with its model set to the stand-in's
// OpenAI protocol and streaming on, and a small Text Input → Text Output flow.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, seriousViolations } from '../../test-utils/browser.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import type { Json } from './editor-helpers.js';
import { starterJson } from './starters.js';

type Node = { id: string; data: { type: string; node: { template: Record<string, Json> } } };

/** Basic Prompting, its Language Model on OpenAI gpt-4o-mini (the stand-in), `stream` as given. */
export function chatFlow(stream = true): { nodes: Node[]; edges: Json[] } {
  const basic = structuredClone(starterJson('Basic Prompting.json') as { data: { nodes: Node[]; edges: Json[] } });
  const model = basic.data.nodes.find((n) => n.data.type === 'LanguageModelComponent');
  if (!model) throw new Error('Basic Prompting has no Language Model');
  model.data.node.template.model.value = [{ provider: 'OpenAI', name: 'gpt-4o-mini' }];
  model.data.node.template.stream.value = stream;
  return basic.data;
}

export function textFlow(): Json {
  const flow = new FlowBuilder('Text only');
  const input = flow.node('TextInput', { input_value: 'typed before' }, { displayName: 'Text Input' });
  const output = flow.node('TextOutput', { input_value: '' }, { displayName: 'Text Output' });
  flow.connect(input, 'text', output, 'input_value');
  const built = flow.build() as unknown as { data: Json };
  return built.data;
}

/**
 * Runs axe-core on the page, prints its violation count (every impact) for the report, and fails on
 * serious or critical ones.
 */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  const serious = seriousViolations(violations);
  console.log(`axe ${screen}: ${violations.length} violations (${serious.length} serious or critical)${violations.length ? `: ${violations.map((v) => `${v.id}[${v.impact}]`).join(', ')}` : ''}`);
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.targets.join(', ')}`), [], `${screen}: no serious accessibility violations`);
}
