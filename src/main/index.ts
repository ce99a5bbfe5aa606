/**
 * Electron shell: one hardened window, an Indonesian menu, the engine in a utilityProcess, and the IPC adapter that
 * forwards contract calls from the trusted renderer frame to the engine.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { serveAppFile } from './app-protocol';
import { CSP_ELECTRON } from './csp';
import { APP_ORIGIN, APP_SCHEME, hardenContents, hardenSession, isTrustedSender } from './security';
import { IPC_CHANNELS, type HostMessage, type HostRequest } from '../shared/ipc';
import type { Result } from '../shared/result';

const INVOKE_CHANNEL = IPC_CHANNELS.invoke;
const EVENT_CHANNEL = IPC_CHANNELS.event;
const rendererDir = join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

app.enableSandbox();

// ------------------------------------------------------------------ engine (utility process)
let engine: UtilityProcess | null = null;
let restarts: number[] = [];
let nextId = 1;
const pending = new Map<number, (r: Result<unknown>) => void>();
const toEngine = (m: HostRequest) => engine?.postMessage(m);
const windows = new Set<number>();

function startEngine() {
  engine = utilityProcess.fork(join(__dirname, 'engine-host.js'), [], {
    serviceName: 'Telisik Engine',
    stdio: 'inherit',
    env: { ...process.env, TELISIK_DATA_DIR: app.getPath('userData'), TELISIK_APP_ROOT: app.getAppPath() },
  });
  engine.on('message', (m: HostMessage) => {
    if ('id' in m) {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    } else if ('event' in m) {
      for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, m.event);
    }
  });
  engine.on('exit', (code) => {
    for (const [, resolve] of pending) resolve({ ok: false, error: { code: 'internal', message: `Mesin analisis berhenti (engine exited, code ${code})` } });
    pending.clear();
    engine = null;
    // Restart a crashed engine, but not in a loop: 3 restarts within a minute means something is broken for good.
    const now = Date.now();
    restarts = restarts.filter((t) => now - t < 60_000);
    if (quitting) return;
    if (restarts.length < 3) { restarts.push(now); startEngine(); return; }
    void dialog.showMessageBox({ type: 'error', title: 'Telisik', message: 'Mesin analisis berhenti berulang kali (engine crashed repeatedly).', detail: `Kode keluar ${code}. Tutup dan buka kembali Telisik.` });
  });
}

function invokeEngine(name: string, args: unknown): Promise<Result<unknown>> {
  if (!engine) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'Mesin analisis belum siap (engine not ready)' } });
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    toEngine({ id, name, args });
  });
}

// ------------------------------------------------------------------ window
function createWindow() {
  const win = new BrowserWindow({
    width: 1400, height: 900, minWidth: 1100, minHeight: 700, title: 'Telisik', show: false, backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false, spellcheck: false,
      experimentalFeatures: false,
    },
  });
  windows.add(win.webContents.id);
  const id = win.webContents.id;
  win.on('closed', () => windows.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function menu() {
  const template: Electron.MenuItemConstructorOptions[] = [
    {
      label: 'Berkas',
      submenu: [
        { label: 'Jendela baru', accelerator: 'CmdOrCtrl+N', click: () => createWindow() },
        { type: 'separator' },
        { label: 'Keluar', role: 'quit' },
      ],
    },
    {
      label: 'Sunting',
      submenu: [
        { label: 'Urungkan', role: 'undo' }, { label: 'Ulangi', role: 'redo' }, { type: 'separator' },
        { label: 'Potong', role: 'cut' }, { label: 'Salin', role: 'copy' }, { label: 'Tempel', role: 'paste' },
        { label: 'Pilih semua', role: 'selectAll' },
      ],
    },
    {
      label: 'Tampilan',
      submenu: [
        { label: 'Muat ulang', role: 'reload' }, { type: 'separator' },
        { label: 'Perbesar', role: 'zoomIn' }, { label: 'Perkecil', role: 'zoomOut' }, { label: 'Ukuran asli', role: 'resetZoom' },
        { type: 'separator' }, { label: 'Layar penuh', role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ label: 'Alat pengembang', role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: 'Bantuan',
      submenu: [
        {
          label: 'Tentang Telisik',
          click: () => void dialog.showMessageBox({
            type: 'info', title: 'Tentang Telisik',
            message: `Telisik ${app.getVersion()}`,
            detail: 'Stasiun kerja audit bantuan sosial (bansos) — luring (offline). Data diolah di komputer ini saja.',
          }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// ------------------------------------------------------------------ lifecycle
let quitting = false;

// shell.openExternal only for allow-listed origins (EXTERNAL_ALLOW in ./security: empty by default).
app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => void shell.openExternal(url)));

app.whenReady().then(() => {
  hardenSession(session.defaultSession, CSP_ELECTRON);
  // Files are read with fs (src/main/app-protocol.ts), not net.fetch(file://): the session's request filter cancels
  // every file: URL, and the handler's reads must not depend on whether it applies to them.
  protocol.handle(APP_SCHEME, async (req) => serveAppFile(rendererDir, req.url, CSP_ELECTRON));

  ipcMain.handle(INVOKE_CHANNEL, async (e, name: unknown, args: unknown) => {
    if (!isTrustedSender(e as never, windows)) return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'unknown_call', message: 'call name must be a string' } };
    const r = await invokeEngine(name, args);
    // "Buka folder": the engine vouches the file is one it wrote; the shell shows it in its folder.
    if (name === 'revealFile' && r && (r as { ok?: boolean }).ok) shell.showItemInFolder((r as { value: { path: string } }).value.path);
    return r;
  });

  startEngine();
  menu();
  createWindow();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow(); });
});

app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
app.on('before-quit', () => {
  quitting = true;
  toEngine({ shutdown: true });
});
