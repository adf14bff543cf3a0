// One xterm.js terminal bound to one pty on the Node side. Imperative by nature; a component's
// $effect creates it and disposes it. Flow control: each chunk is acknowledged (terminal.ack, in
// string length units, the same units the host counts when it emits) only once xterm has parsed
// and rendered it, so a flood of output (`yes`, a big log) pauses the pty instead of the page.
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import type { Bridge, TerminalExit } from '../../../../main/bridge/contract.js';
import type { TerminalHub } from './hub.js';
import { withConstructedStyles } from './cspStyles.js';

export const DARK_THEME: ITheme = { background: '#14181f', foreground: '#d8dee9', cursor: '#d8dee9', selectionBackground: '#3b4a63' };
export const LIGHT_THEME: ITheme = {
  background: '#fbfbfd', foreground: '#1f2933', cursor: '#1f2933', selectionBackground: '#c9d7ef',
  black: '#1f2933', red: '#b42318', green: '#2b7a0b', yellow: '#8a6100', blue: '#1d4ed8', magenta: '#8e24aa', cyan: '#0e7490', white: '#9aa5b1',
  brightBlack: '#52606d', brightRed: '#d92d20', brightGreen: '#3b9a12', brightYellow: '#a77b00', brightBlue: '#2563eb', brightMagenta: '#a23fc0', brightCyan: '#0891b2', brightWhite: '#cbd2d9',
};

export interface SessionCallbacks {
  onStarted(id: string): void;
  onExit(e: TerminalExit): void;
  onError(message: string): void;
}

export class TerminalSession {
  readonly term: Terminal;
  readonly search = new SearchAddon();
  private fit = new FitAddon();
  private id: string | null = null;
  private disposed = false;
  private resizeObserver: ResizeObserver;
  private lastSize = '';

  constructor(
    private readonly bridge: Bridge,
    private readonly hub: TerminalHub,
    private readonly host: HTMLElement,
    private readonly cb: SessionCallbacks,
    dark: boolean,
  ) {
    this.term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      cursorBlink: true,
      scrollback: 5000,
      theme: dark ? DARK_THEME : LIGHT_THEME,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    // links are never opened from the app (no navigation, no external content): a click copies it
    this.term.loadAddon(new WebLinksAddon((_event, uri) => void this.copy(uri)));
    withConstructedStyles(host.ownerDocument, () => this.term.open(host));
    this.safeFit();

    this.term.onData((data) => this.id && void this.bridge.call('terminal.input', { id: this.id, data }));
    this.term.onResize(({ cols, rows }) => this.id && void this.bridge.call('terminal.resize', { id: this.id, cols, rows }));
    this.term.onSelectionChange(() => {
      const sel = this.term.getSelection();
      if (sel) void this.copy(sel);
    });
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));

    this.resizeObserver = new ResizeObserver(() => this.safeFit());
    this.resizeObserver.observe(host);
    void this.start();
  }

  /** Starts (or, after the shell exited, restarts) the pty with the terminal's current size. */
  async start(): Promise<void> {
    if (this.id) this.hub.detach(this.id);
    this.id = null;
    const r = await this.bridge.call('terminal.open', { cols: this.term.cols, rows: this.term.rows });
    if (!r.ok) return this.cb.onError(r.error.message);
    if (this.disposed) {
      void this.bridge.call('terminal.close', { id: r.value.id });
      return;
    }
    const id = r.value.id;
    this.id = id;
    this.hub.attach(id, {
      data: (data) => this.term.write(data, () => void this.bridge.call('terminal.ack', { id, bytes: data.length })),
      exit: (e) => {
        if (this.id === id) this.cb.onExit(e);
      },
    });
    this.cb.onStarted(id);
  }

  setDark(dark: boolean): void {
    this.term.options.theme = dark ? DARK_THEME : LIGHT_THEME;
  }

  focus(): void {
    this.term.focus();
  }

  /** Types text into the shell as if pasted (bracketed paste when the shell asked for it). */
  paste(text: string): void {
    this.term.paste(text);
    this.term.focus();
  }

  /** Pastes a command and presses Enter, as if the learner typed it (lab "run in terminal"). */
  run(text: string): void {
    this.term.paste(text.replace(/\n+$/, ''));
    // after the paste's own terminal.input: calls reach the pty in the order they are made
    if (this.id) void this.bridge.call('terminal.input', { id: this.id, data: '\r' });
    this.term.focus();
  }

  private safeFit(): void {
    // a hidden tab has no size; fitting it would shrink the pty to nothing
    if (!this.host.offsetWidth || !this.host.offsetHeight) return;
    const dims = this.fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return;
    const key = `${dims.cols}x${dims.rows}`;
    if (key === this.lastSize) return;
    this.lastSize = key;
    this.fit.fit();
  }

  private onKey(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    const key = e.key.toLowerCase();
    if (key === 'c') {
      const sel = this.term.getSelection();
      if (sel) void this.copy(sel);
      return false;
    }
    if (key === 'v') {
      void navigator.clipboard?.readText().then((t) => t && this.term.paste(t), () => undefined);
      return false;
    }
    return true;
  }

  private async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard?.writeText(text);
    } catch {
      // clipboard access can be denied (unfocused page, headless browser); copying is best effort
    }
  }

  dispose(): void {
    this.disposed = true;
    this.resizeObserver.disconnect();
    if (this.id) {
      this.hub.detach(this.id);
      void this.bridge.call('terminal.close', { id: this.id });
    }
    this.term.dispose();
  }
}
