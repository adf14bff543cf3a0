// Simulator controls (clock speed, node stop/start, kill container, reset) as reactive state.
// Every call's error becomes `error` for the toast instead of a throw.
import type { Bridge, BridgeError, CallName, CallRequest, CallResponse, NodeState } from '../../../../main/bridge/contract.js';

export const SPEED_PRESETS = [1, 10, 60, 600] as const;
export const MAX_SPEED = 600;

/** slider position 0..1000 ↔ speed 1..600 on a log scale, so 1× to 10× gets as much travel as 60× to 600× */
export function speedToSlider(speed: number): number {
  return Math.round((Math.log(Math.max(1, speed)) / Math.log(MAX_SPEED)) * 1000);
}
export function sliderToSpeed(pos: number): number {
  const raw = Math.exp((pos / 1000) * Math.log(MAX_SPEED));
  return raw < 10 ? Math.round(raw * 10) / 10 : Math.round(raw);
}

export class SimStore {
  speed = $state(1);
  nodes = $state<NodeState[]>([]);
  error = $state<BridgeError | null>(null);
  notice = $state<string | null>(null);
  busy = $state(false);

  constructor(private readonly bridge: Bridge) {}

  private async run<K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K> | undefined> {
    const r = await this.bridge.call(name, req);
    if (!r.ok) {
      this.error = r.error;
      return undefined;
    }
    return r.value;
  }

  async refresh(): Promise<void> {
    const [clock, nodes] = await Promise.all([this.bridge.call('sim.clock', undefined), this.bridge.call('sim.nodes', undefined)]);
    if (clock.ok) this.speed = clock.value.speed;
    if (nodes.ok) this.nodes = nodes.value;
  }

  async setSpeed(speed: number): Promise<void> {
    this.speed = speed;
    const v = await this.run('sim.setSpeed', { speed });
    if (v) this.speed = v.speed;
  }

  kubeletRunning(node: string): boolean {
    return this.nodes.find((n) => n.name === node)?.kubeletRunning ?? true;
  }

  async setNode(name: string, running: boolean): Promise<void> {
    await this.run(running ? 'sim.startNode' : 'sim.stopNode', { name });
    await this.refresh();
  }

  async killContainer(namespace: string, pod: string, container: string): Promise<boolean> {
    this.busy = true;
    try {
      return (await this.bridge.call('sim.killContainer', { namespace, pod, container }).then((r) => (r.ok ? true : ((this.error = r.error), false))));
    } finally {
      this.busy = false;
    }
  }

  async reset(): Promise<boolean> {
    this.busy = true;
    try {
      const r = await this.bridge.call('sim.reset', undefined);
      if (!r.ok) this.error = r.error;
      await this.refresh();
      return r.ok;
    } finally {
      this.busy = false;
    }
  }
}
