import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../components/registry.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { freshDatabaseUrl } from '../../../test-utils/database.js';
import { openDatabase, type NewTrace } from '../database/index.js';
import { DEFAULT_RUN_RECORDS, readSettings } from '../settings.js';
import { RunHost } from './host.js';

function echo() {
  const flow = new FlowBuilder('switch');
  const input = flow.node('ChatInput', {});
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', output, 'input_value');
  return flow.build();
}

test('LANGFLOW_NATIVE_TRACING=false: runs are not traced and nothing is stored, unless a sink (metrics, OTLP) takes traces', async () => {
  const fresh = await freshDatabaseUrl('sqlite');
  const database = await openDatabase({ databaseUrl: fresh.url, runRecords: { ...DEFAULT_RUN_RECORDS, tracesStorageEnabled: false } });
  try {
    const settings = { ...readSettings({}), secretKey: 'switch-test-secret-key-0123456789' };
    const registry = createRegistry();
    const quiet = new RunHost({ database, settings, registry });
    assert.equal(quiet.tracing, false);
    const untraced = quiet.createFlowRun({ flow: echo(), userId: null, inputValue: 'hi' });
    assert.equal(untraced.trace, undefined);
    for await (const _event of quiet.recordedEvents(untraced)) {
      // drive the run
    }

    const taken: NewTrace[] = [];
    const observed = new RunHost({ database, settings, registry, traceSinks: [(trace) => taken.push(trace)] });
    const traced = observed.createFlowRun({ flow: echo(), userId: null, inputValue: 'hi' });
    for await (const _event of observed.recordedEvents(traced)) {
      // drive the run
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(taken.map((t) => t.spans.map((s) => s.name)), [['Chat Input', 'Chat Output']]);
    await database.recorder.flush();
    assert.deepEqual(await database.db.selectFrom('trace').select('id').execute(), [], 'nothing stored');
  } finally {
    await database.close();
    await fresh.cleanup();
  }
});
