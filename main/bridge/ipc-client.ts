// Desktop carrier, page side: adapts the preload's window.kubelab to the Bridge interface, so the
// renderer codes against Bridge whichever carrier is underneath.
import type { Bridge, CallName, CallRequest, CallResponse, EventName, Events, Result } from './contract.js';
import type { KubeLabApi } from './types.js';

export function ipcBridge(api: KubeLabApi): Bridge {
  return {
    call<K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>> {
      const fn = api.call[name] as unknown as ((r: CallRequest<K>) => Promise<Result<CallResponse<K>>>) | undefined;
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'BadRequest', message: `unknown call "${name}"` } });
      // IPC itself can fail (window closing); keep the never-throws promise of Bridge
      return fn(req).catch((e: unknown) => ({ ok: false as const, error: { code: 'Unavailable', message: e instanceof Error ? e.message : String(e) } }));
    },
    on<K extends EventName>(name: K, cb: (payload: Events[K]) => void): () => void {
      return api.on(name, cb);
    },
  };
}
