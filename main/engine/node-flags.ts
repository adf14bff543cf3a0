// Imported by every launcher of the engine; nothing else here, so the desktop app's main process can use it.

/**
 * V8 flags for every engine process (npm run cluster, web mode, the desktop app's utility process).
 * V8's defaults suit short scripts: the young generation starts small and grows only after many
 * scavenges, and a function is optimised late. The engine is a long-lived server whose first
 * thousand writes are what a learner's first commands feel: starting with a 16 MB semi-space and
 * optimising hot code sooner made them about a quarter faster (see BENCHMARKS.md, writes/s).
 */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--interrupt-budget=20000'];
