// The terminal tabs: which exist, which is active, and each tab's shell state (running / exited).
// The xterm instance itself lives in TerminalSession, owned by the tab's component.
import type { TerminalExit } from '../../../../main/bridge/contract.js';
import type { TerminalSession } from './session.js';

export class TerminalTab {
  exited = $state<TerminalExit | null>(null);
  error = $state<string | null>(null);
  ptyId = $state<string | null>(null);
  /** set by the tab's component while it is mounted */
  session: TerminalSession | null = null;

  constructor(
    readonly key: number,
    readonly number: number,
  ) {}

  restart(): void {
    this.exited = null;
    this.error = null;
    this.session?.term.write('\r\n');
    void this.session?.start();
  }
}

export class TerminalTabs {
  tabs = $state<TerminalTab[]>([]);
  activeKey = $state(0);
  private next = 1;
  readonly active = $derived(this.tabs.find((t) => t.key === this.activeKey) ?? null);

  add(): TerminalTab {
    const n = this.next++;
    // numbered by the lowest free number, so closing "Shell 2" and opening a new tab reuses 2
    const used = new Set(this.tabs.map((t) => t.number));
    let number = 1;
    while (used.has(number)) number++;
    const tab = new TerminalTab(n, number);
    this.tabs.push(tab);
    this.activeKey = n;
    return tab;
  }

  close(key: number): void {
    const i = this.tabs.findIndex((t) => t.key === key);
    if (i < 0) return;
    this.tabs.splice(i, 1);
    if (this.activeKey === key) this.activeKey = (this.tabs[Math.min(i, this.tabs.length - 1)] ?? { key: 0 }).key;
  }
}
