export async function serveCommand(): Promise<void> {
  const { startServer } = await import('../server.js');
  const { loadSettings } = await import('../services/settings.js');
  await startServer(loadSettings());
}
