import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FlowRecord } from '../services/database/index.js';
import { assertSafeName, createFlowFileStorage, createUserFileStorage, isSafeName, safeFlowPath } from '../services/files/index.js';
import type { ApiContext } from './context.js';
import { flowRead } from './flow-shapes.js';

/**
 * Langflow's `_save_flow_to_fs`: a flow with an `fs_path` is written as JSON (its FlowRead) to that
 * path inside `<config_dir>/flows/<user_id>` after each create and update, so it can live in git.
 * The path was checked when it was set; it is checked again here, symlinks included.
 */
export async function mirrorFlowToDisk(ctx: ApiContext, flow: FlowRecord): Promise<void> {
  if (!flow.fs_path || !flow.user_id) return;
  const path = safeFlowPath(ctx.settings.configDir, flow.user_id, flow.fs_path);
  if (path === null) return;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(flowRead(flow)), { mode: 0o600 });
}

/**
 * A flow's v1 files go with the flow: once no flow with an id exists, its file folder is removed.
 * Called after flow, project and user deletes. A flow id taken by another user's live flow is left
 * alone (the delete did not remove that flow), so no caller can wipe files it does not own.
 */
export async function removeFilesOfDeletedFlows(ctx: ApiContext, flowIds: Iterable<string>): Promise<void> {
  const storage = createFlowFileStorage(ctx.settings);
  for (const id of new Set(flowIds)) {
    if (!isSafeName(id) || (await ctx.database.flows.getById(id))) continue;
    await storage.deleteFolder(id);
  }
}

/**
 * A new flow starts with no files, even when its (client-chosen) id belonged to a flow whose files
 * were left behind by an interrupted delete or by a version of Weft that did not remove them.
 */
export async function clearFilesOfNewFlow(ctx: ApiContext, flowId: string): Promise<void> {
  await createFlowFileStorage(ctx.settings).deleteFolder(assertSafeName(flowId));
}

/** A deleted user's v2 files, and the v1 files of the flows that went with the account. */
export async function removeFilesOfDeletedUser(ctx: ApiContext, userId: string, flowIds: Iterable<string>): Promise<void> {
  await createUserFileStorage(ctx.settings).deleteFolder(assertSafeName(userId));
  await removeFilesOfDeletedFlows(ctx, flowIds);
}
