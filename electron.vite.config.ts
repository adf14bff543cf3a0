// Build for the desktop app: main/electron (Node side), its preload, and the Svelte renderer.
// Output goes to out/{main,preload,renderer}; electron-builder.yml packages out/**.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// electron-vite derives the Node/Chrome build targets from node_modules/electron/package.json and
// throws when it is missing. `electron` is optional and often absent (its binary cannot be
// downloaded here), so pin the major to the one electron-builder.yml packages (electronVersion).
const ELECTRON_MAJOR = '38';
if (!process.env['ELECTRON_MAJOR_VER']) {
  try {
    createRequire(import.meta.url).resolve('electron/package.json');
  } catch {
    process.env['ELECTRON_MAJOR_VER'] = ELECTRON_MAJOR;
  }
}

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

// Vite's dev server injects component CSS as <style> tags and talks HMR over its own websocket, which
// the production CSP in renderer/index.html rightly forbids; loosen it for `electron-vite dev` only.
function devCsp(): Plugin {
  return {
    name: 'kubelab:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // index.js matches package.json "main" (out/main/index.js), which Electron starts from
      rollupOptions: { input: { index: resolve(root, 'main/electron/main.ts') } },
    },
  },
  preload: {
    define: { __KUBELAB_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'main/electron/preload.ts') },
        // sandboxed preloads must be CommonJS; .cjs because package.json says "type": "module"
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [svelte({ compilerOptions: { runes: true } }), devCsp()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
