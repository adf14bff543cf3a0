// Types for scripts/web-bundle.mjs (plain JavaScript so `npm run web` can run it before any
// TypeScript compiler is loaded).
export declare const ENTRIES: { host: string; engine: string };
export declare function bundleDir(root: string): string;
/** why the bundles must be rebuilt, or undefined when they match their inputs */
export declare function bundleStaleness(root: string, dir?: string): string | undefined;
export declare function rewriteImportMeta(source: string, file: string, outDir: string): string;
/** resolves to false when esbuild is not installed */
export declare function buildBundles(root: string, dir?: string): Promise<boolean>;
/** the bundles' paths, rebuilt first when stale; undefined when they cannot be built */
export declare function ensureBundles(root: string, log: (s: string) => void): Promise<{ host: string; engine: string } | undefined>;
