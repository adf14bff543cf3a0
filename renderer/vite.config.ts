// Standalone build of the renderer alone (`npx vite build --config renderer/vite.config.ts`), for
// browser mode without electron-vite, and a dev server (`npx vite --config renderer/vite.config.ts`,
// open /?fake for the in-memory bridge). Same plugins and output folder as the renderer section of
// electron.vite.config.ts, so either build produces the same out/renderer.
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

// Vite's dev server injects CSS as <style> tags and uses its own HMR websocket, which the strict
// CSP in index.html forbids; loosen it for the dev server only (builds keep the strict policy).
function devCsp(): Plugin {
  return {
    name: 'kubelab:renderer-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*"),
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ compilerOptions: { runes: true } }), devCsp()],
  build: {
    outDir: resolve(root, '../out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
});
