// Flat config. Deliberately lenient (no stylistic rules): its job is to hold architectural lines,
// above all that main/engine stays pure, deterministic Node so it runs headless (npm run cluster,
// tests, a utilityProcess) and under a simulated clock.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const ENGINE = 'main/engine/**/*.ts';
const CLOCK_FILES = ['main/engine/**/clock.ts'];

const PURE_NODE = 'main/engine must stay pure Node (it runs headless and in a utilityProcess)';
const INJECT_CLOCK = 'inject the Clock (main/engine/clock.ts) instead of reading or scheduling on wall-clock time';

// Imports the engine may never make. Patterns use regexes so relative paths into renderer/ are
// caught however many ../ they start with.
const engineImportPaths = [
  { name: 'electron', message: `${PURE_NODE}: no electron; talk to the app over the utilityProcess channel.` },
  { name: 'node-pty', message: `${PURE_NODE}: terminals belong to main/electron, not the engine.` },
];
const engineImportPatterns = [
  { regex: '^electron/', message: `${PURE_NODE}: no electron.` },
  { regex: '^node-pty/', message: `${PURE_NODE}: terminals belong to main/electron, not the engine.` },
  { regex: '^@xterm/', message: `${PURE_NODE}: xterm is renderer-only.` },
  { regex: '(^|/)renderer(/|$)', message: `${PURE_NODE}: the engine may not depend on renderer code.` },
];
// Node's promise/callback timer modules are the same wall clock under another name.
const timerImportPaths = ['timers', 'node:timers', 'timers/promises', 'node:timers/promises'].map((name) => ({
  name,
  message: INJECT_CLOCK,
}));

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage'].map((name) => ({
  name,
  message: `${PURE_NODE}: no DOM globals (\`${name}\`).`,
}));
const timerGlobals = ['setTimeout', 'setInterval'].map((name) => ({ name, message: INJECT_CLOCK }));

const clockProperties = [
  { object: 'Date', property: 'now', message: INJECT_CLOCK },
  ...['setTimeout', 'setInterval'].flatMap((property) =>
    ['globalThis', 'global'].map((object) => ({ object, property, message: INJECT_CLOCK })),
  ),
];
const domProperties = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage'].map((property) => ({
  object: 'globalThis',
  property,
  message: `${PURE_NODE}: no DOM globals (\`${property}\`).`,
}));

// import('electron') and friends slip past no-restricted-imports, which only sees static imports.
const dynamicImportBan = {
  selector: "ImportExpression > Literal[value=/^(electron|node-pty)(\\u002F|$)|^@xterm\\u002F|(^|\\u002F)renderer(\\u002F|$)/]",
  message: `${PURE_NODE}: no dynamic import of electron, node-pty, @xterm/* or renderer code.`,
};

export default defineConfig([
  globalIgnores(['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '**/*.svelte', 'main/engine/api/openapi/generated/**']),

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    files: [ENGINE],
    rules: {
      'no-restricted-imports': ['error', { paths: [...engineImportPaths, ...timerImportPaths], patterns: engineImportPatterns }],
      'no-restricted-globals': ['error', ...domGlobals, ...timerGlobals],
      'no-restricted-properties': ['error', ...clockProperties, ...domProperties],
      'no-restricted-syntax': ['error', dynamicImportBan],
    },
  },

  // The clock is where wall time is allowed in; everything else about engine purity still holds.
  {
    files: CLOCK_FILES,
    rules: {
      'no-restricted-imports': ['error', { paths: engineImportPaths, patterns: engineImportPatterns }],
      'no-restricted-globals': ['error', ...domGlobals],
      'no-restricted-properties': ['error', ...domProperties],
    },
  },
]);
