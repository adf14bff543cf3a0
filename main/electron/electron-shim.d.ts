// Stand-in for Electron's own typings. `electron` is an optionalDependency whose binary cannot be
// downloaded on the project's machines, so its package (and electron.d.ts) is absent and
// `tsc -p tsconfig.json` would fail on main/electron. This declares only what main/electron uses,
// with Electron 38's signatures. DELETE THIS FILE once the real `electron` package installs: its
// typings declare the same module and the two would clash.

declare module 'electron' {
  interface PreventableEvent {
    preventDefault(): void;
  }

  interface WindowOpenHandlerResponse {
    action: 'allow' | 'deny';
  }

  interface WebContents {
    on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): this;
    on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): this;
    setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
  }

  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    webviewTag?: boolean;
    spellcheck?: boolean;
    additionalArguments?: string[];
  }

  interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    title?: string;
    show?: boolean;
    webPreferences?: WebPreferences;
  }

  export class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    static getAllWindows(): BrowserWindow[];
    readonly webContents: WebContents;
    loadURL(url: string): Promise<void>;
    loadFile(filePath: string): Promise<void>;
    show(): void;
    focus(): void;
    restore(): void;
    isMinimized(): boolean;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
  }

  interface App {
    readonly isPackaged: boolean;
    getVersion(): string;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<void>;
    on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): this;
    on(event: 'web-contents-created', listener: (event: PreventableEvent, contents: WebContents) => void): this;
  }
  export const app: App;

  interface Session {
    setPermissionRequestHandler(
      handler: ((webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void) | null,
    ): void;
  }
  export const session: { readonly defaultSession: Session };

  interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: unknown): void;
  }
  export const contextBridge: ContextBridge;
}
