// Routes terminal.data / terminal.exit events (which carry the pty id) to the session that owns the
// id. Output can arrive before terminal.open has resolved with that id (the shell prompt races the
// reply), so unclaimed output is held until the session attaches.
import type { Bridge, TerminalExit } from '../../../../main/bridge/contract.js';

export interface TerminalSink {
  data(data: string): void;
  exit(e: TerminalExit): void;
}

const MAX_HELD = 256 * 1024;

export class TerminalHub {
  private sinks = new Map<string, TerminalSink>();
  private held = new Map<string, { data: string[]; size: number; exit?: TerminalExit }>();
  private offs: Array<() => void>;

  constructor(readonly bridge: Bridge) {
    this.offs = [
      bridge.on('terminal.data', ({ id, data }) => {
        const sink = this.sinks.get(id);
        if (sink) return sink.data(data);
        const h = this.hold(id);
        if (h.size < MAX_HELD) {
          h.data.push(data);
          h.size += data.length;
        }
      }),
      bridge.on('terminal.exit', (e) => {
        const sink = this.sinks.get(e.id);
        if (sink) sink.exit(e);
        else this.hold(e.id).exit = e;
      }),
    ];
  }

  private hold(id: string) {
    let h = this.held.get(id);
    if (!h) this.held.set(id, (h = { data: [], size: 0 }));
    return h;
  }

  attach(id: string, sink: TerminalSink): void {
    this.sinks.set(id, sink);
    const h = this.held.get(id);
    this.held.delete(id);
    h?.data.forEach((d) => sink.data(d));
    if (h?.exit) sink.exit(h.exit);
  }

  detach(id: string): void {
    this.sinks.delete(id);
    this.held.delete(id);
  }

  dispose(): void {
    this.offs.forEach((off) => off());
  }
}
