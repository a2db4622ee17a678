import type { Db } from './types.js';

/** Langflow keeps no foreign keys from monitor tables to flows, so removing flows removes these explicitly. */
export async function deleteMonitorRowsOfFlows(db: Db, flowIds: string[]): Promise<void> {
  if (flowIds.length === 0) return;
  await db.deleteFrom('message').where('flow_id', 'in', flowIds).execute();
  await db.deleteFrom('vertex_build').where('flow_id', 'in', flowIds).execute();
  await db.deleteFrom('transaction').where('flow_id', 'in', flowIds).execute();
  await db.deleteFrom('trace').where('flow_id', 'in', flowIds).execute();
}
