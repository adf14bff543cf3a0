// Electron main process: one locked-down window showing the Svelte renderer, the app host
// (main/host) behind the typed IPC bridge, and the simulated cluster in a utilityProcess. Kept
// thin: everything testable lives in main/host and main/bridge.
import { app, BrowserWindow, dialog, Menu, session, shell, utilityProcess, ipcMain, type MenuItemConstructorOptions, type MessageBoxOptions } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Language } from '../bridge/contract.js';
import { registerIpcBridge } from '../bridge/ipc-main.js';
import type { EngineLauncher } from '../host/engine.js';
import { createHost, type Host } from '../host/host.js';
import { ENGINE_NODE_FLAGS } from '../engine/node-flags.js';
import { isAppUrl } from './nav.js';

// Built layout (electron-vite): out/main/{index,engine}.js, out/preload/index.cjs, out/renderer/index.html.
const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererFile = join(here, '../renderer/index.html');
const engineEntry = join(here, 'engine.js');

// electron-vite sets this only under `electron-vite dev`; a packaged app must never follow it.
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const appUrl = devServerUrl ?? pathToFileURL(rendererFile).href;

let mainWindow: BrowserWindow | null = null;
let host: Host | undefined;

/** The engine in a utilityProcess: a Node child of Electron, no extra runtime to ship. */
const utilityEngine: EngineLauncher = (args) => {
  const child = utilityProcess.fork(engineEntry, args, { stdio: 'pipe', serviceName: 'KubeLab cluster engine', execArgv: [...ENGINE_NODE_FLAGS] });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    kill: (force) => {
      // kill() is SIGTERM on POSIX (the engine flushes and exits 0); force skips the flush
      if (force && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
    once: (event, cb) => child.once(event, cb),
  };
};

const MENU_TEXT: Record<Language, Record<string, string>> = {
  en: { cluster: 'Cluster', reset: 'Reset Cluster…', data: 'Open Data Folder', language: 'Language', about: 'About KubeLab', confirm: 'Reset the cluster?', confirmDetail: 'Every object you created is deleted and the cluster returns to its initial state.', cancel: 'Cancel', resetBtn: 'Reset', help: 'Help' },
  ko: { cluster: '클러스터', reset: '클러스터 초기화…', data: '데이터 폴더 열기', language: '언어', about: 'KubeLab 정보', confirm: '클러스터를 초기화할까요?', confirmDetail: '만든 모든 오브젝트가 삭제되고 클러스터가 처음 상태로 돌아갑니다.', cancel: '취소', resetBtn: '초기화', help: '도움말' },
};

function messageBox(options: MessageBoxOptions): Promise<{ response: number }> {
  return mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
}

function buildMenu(h: Host): void {
  const lang = h.settings.get().language;
  const t = MENU_TEXT[lang];
  const setLanguage = (language: Language) => void h.setSettings({ language }).then(() => buildMenu(h));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: t['cluster'],
      submenu: [
        {
          label: t['reset'],
          click: () =>
            void messageBox({ type: 'warning', buttons: [t['cancel']!, t['resetBtn']!], defaultId: 0, cancelId: 0, message: t['confirm']!, detail: t['confirmDetail'] })
              .then(({ response }) => (response === 1 ? h.resetCluster() : undefined))
              .catch((e: unknown) => dialog.showErrorBox('KubeLab', e instanceof Error ? e.message : String(e))),
        },
        { label: t['data'], click: () => void shell.openPath(h.layout.root) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    // the edit roles make copy/paste shortcuts work in the terminal (macOS needs them in a menu)
    { role: 'editMenu' },
    {
      label: t['language'],
      submenu: [
        { label: 'English', type: 'radio', checked: lang === 'en', click: () => setLanguage('en') },
        { label: '한국어', type: 'radio', checked: lang === 'ko', click: () => setLanguage('ko') },
      ],
    },
    { role: 'windowMenu' },
    {
      label: t['help'],
      submenu: [
        {
          label: t['about'],
          click: () => void messageBox({ type: 'info', title: t['about'], message: `KubeLab ${app.getVersion()}`, detail: 'Learn Kubernetes offline with a simulated cluster driven by the real kubectl.' }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'KubeLab',
    show: false,
    webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, spellcheck: false },
  });
  // avoids a white flash before the first paint
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

// A second launch focuses the running window instead of starting a second cluster on the same
// data directory.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Applied to every webContents (not just our window) so nothing created later escapes the policy.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(async () => {
    // The app is fully offline: no camera, notifications, geolocation and the like.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    const resourcesPath = app.isPackaged ? (process as unknown as { resourcesPath?: string }).resourcesPath : undefined;
    let h: Host;
    try {
      h = await createHost({
        // the same folder `npm run web` uses by default (main/host/paths.ts defaultAppDataDir)
        dataDir: join(app.getPath('appData'), 'KubeLab'),
        mode: 'desktop',
        version: app.getVersion(),
        launchEngine: utilityEngine,
        ...(resourcesPath ? { resourcesPath } : {}),
      });
    } catch (e) {
      // e.g. an unwritable data folder: say so instead of running without a window
      dialog.showErrorBox('KubeLab cannot start', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    host = h;
    registerIpcBridge(ipcMain, h.handlers, { isTrustedSender: (url) => isAppUrl(url, appUrl) });
    buildMenu(h);
    void h.start();
    mainWindow = createWindow();
    app.on('activate', () => {
      // macOS: clicking the dock icon with no windows open re-creates one
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quit waits for the engine to save the cluster: the first before-quit is cancelled, the host
  // stops (terminals, watches, engine flush), then the app exits.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !host) return;
    quitting = true;
    event.preventDefault();
    void host.stop().finally(() => app.exit(0));
  });
}
