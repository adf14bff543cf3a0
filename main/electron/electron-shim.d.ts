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
    readonly id: number;
    on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): this;
    on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): this;
    on(event: 'did-navigate', listener: () => void): this;
    once(event: 'destroyed', listener: () => void): this;
    setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
  }

  interface WebFrameMain {
    readonly url: string;
  }

  interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }

  interface IpcMain {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown): void;
    removeHandler(channel: string): void;
  }
  export const ipcMain: IpcMain;

  interface IpcRendererEvent {
    readonly sender: unknown;
  }

  interface IpcRenderer {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): this;
    removeListener(channel: string, listener: (...args: unknown[]) => void): this;
  }
  export const ipcRenderer: IpcRenderer;

  interface UtilityProcess {
    readonly pid: number | undefined;
    readonly stdout: NodeJS.ReadableStream | null;
    readonly stderr: NodeJS.ReadableStream | null;
    kill(): boolean;
    once(event: 'exit', listener: (code: number) => void): this;
  }
  interface ForkOptions {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    stdio?: 'pipe' | 'ignore' | 'inherit' | Array<'pipe' | 'ignore' | 'inherit'>;
    serviceName?: string;
    execArgv?: string[];
  }
  export const utilityProcess: { fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess };

  interface MenuItemConstructorOptions {
    label?: string;
    role?: 'about' | 'quit' | 'copy' | 'paste' | 'cut' | 'selectAll' | 'undo' | 'redo' | 'reload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'minimize' | 'close' | 'appMenu' | 'editMenu' | 'windowMenu' | 'hide' | 'hideOthers' | 'unhide' | 'services';
    type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
    checked?: boolean;
    accelerator?: string;
    click?: () => void;
    submenu?: MenuItemConstructorOptions[];
  }
  export class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }

  interface MessageBoxOptions {
    type?: 'none' | 'info' | 'error' | 'question' | 'warning';
    buttons?: string[];
    defaultId?: number;
    cancelId?: number;
    title?: string;
    message: string;
    detail?: string;
  }
  export const dialog: {
    showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<{ response: number }>;
    showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
    showErrorBox(title: string, content: string): void;
  };

  export const shell: { openPath(path: string): Promise<string> };

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
    getPath(name: 'appData' | 'userData' | 'home' | 'temp' | 'logs'): string;
    exit(exitCode?: number): void;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<void>;
    on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): this;
    on(event: 'web-contents-created', listener: (event: PreventableEvent, contents: WebContents) => void): this;
    on(event: 'before-quit', listener: (event: PreventableEvent) => void): this;
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
