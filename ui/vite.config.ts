import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by scripts/build-ui.mjs (root: ui/) into dist/ui, which `weft serve` serves at `/`.
// `npx vite ui` runs a dev server that forwards the API to a `weft serve` on the default port.
const api = process.env.WEFT_URL ?? 'http://127.0.0.1:7860';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    // The app is served from disk with long-lived caching of hashed names; no maps shipped.
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/health', '/docs', '/openapi.json', '/logs'].map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
