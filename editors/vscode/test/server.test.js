// Talks to the real `copydesk lsp` the way the extension does: the settings built by
// out/settings.js as initializationOptions and in didChangeConfiguration, and the
// `textDocument/diagnostic` request on files that are not open, which
// "Copydesk: Check Workspace" relies on. Also checks how the server is found.
//
// The binary is $COPYDESK_BIN, else ../../target/release/copydesk. Without one the
// live tests are skipped, unless COPYDESK_REQUIRE_SERVER=1 (as in editors/ci.sh).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-jsonrpc/node');

const EXT = path.resolve(__dirname, '..');
const ROOT = path.resolve(EXT, '..', '..');
const FIXTURE = path.join(ROOT, 'editors', 'nvim', 'test', 'fixture');
const FR_DRAFT = path.join(FIXTURE, 'fr', 'brouillon-otsc.md');
const { serverSettings } = require(path.join(EXT, 'out', 'settings.js'));
const { resolveServer, isResolved, bundledPath } = require(path.join(EXT, 'out', 'server.js'));

const BIN = process.env.COPYDESK_BIN || path.join(ROOT, 'target', 'release', process.platform === 'win32' ? 'copydesk.exe' : 'copydesk');
const haveBin = fs.existsSync(BIN);
const skip = !haveBin && process.env.COPYDESK_REQUIRE_SERVER !== '1' ? `no server binary at ${BIN}` : false;

/** Starts the server and an LSP connection to it, collecting log messages. */
function startServer() {
  const child = cp.spawn(BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const logs = [];
  const waiters = [];
  conn.onNotification('window/logMessage', (p) => {
    logs.push(p.message);
    for (const w of waiters.slice()) {
      if (w.re.test(p.message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.message);
      }
    }
  });
  conn.onNotification(() => {});
  conn.onRequest(() => null);
  conn.listen();
  /** Resolves with the first log message (from now on) matching `re`. */
  const nextLog = (re, ms = 10000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log matching ${re} in ${ms} ms; logs: ${JSON.stringify(logs)}; stderr: ${stderr}`)), ms);
      waiters.push({ re, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  const close = async () => {
    try {
      await conn.sendRequest('shutdown');
      conn.sendNotification('exit');
    } catch {
      // Already gone.
    }
    await new Promise((resolve) => {
      const t = setTimeout(() => (child.kill(), resolve()), 3000);
      child.on('exit', () => (clearTimeout(t), resolve()));
    });
    conn.dispose();
  };
  return { conn, logs, nextLog, close };
}

async function initialize(conn, initializationOptions) {
  const rootUri = pathToFileURL(FIXTURE).href;
  return conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'fixture' }],
    // What VS Code declares: pull diagnostics, and refresh so that the server can ask for a new pull.
    capabilities: {
      textDocument: { diagnostic: { dynamicRegistration: false } },
      workspace: { diagnostics: { refreshSupport: true } },
    },
    initializationOptions,
  });
}

async function diagnosticsOf(conn, file) {
  const report = await conn.sendRequest('textDocument/diagnostic', {
    textDocument: { uri: pathToFileURL(file).href },
    identifier: 'copydesk',
  });
  assert.equal(report.kind, 'full');
  return report.items;
}

const severityOf = (items, code) => items.find((d) => d.code === code)?.severity;

// Every server setting set to a valid value other than its default, as a user would.
const EVERY_SETTING = {
  lang: 'fr',
  rules: { hearsay: 'error', 'attribution/vague-source': 'off' },
  knowledge: ['knowledge'],
  builtinKnowledge: true,
  lexicon: { fr: { hearsay: ['dit-on'] }, en: { vague_sources: ['people say'] } },
  codeLens: false,
  debounceMs: 25,
};

test('the server accepts every editor setting and applies it', { skip, timeout: 60000 }, async () => {
  const { conn, logs, nextLog, close } = startServer();
  try {
    const init = await initialize(conn, serverSettings((s) => EVERY_SETTING[s]));
    assert.equal(init.serverInfo.name, 'copydesk');
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics offered to a client that can pull');
    const indexed = nextLog(/indexed \d+ article/);
    conn.sendNotification('initialized', {});
    await indexed;
    assert.deepEqual(logs.filter((m) => /ignored|error|unknown/i.test(m)), [], 'no complaint about the settings');

    // "Check Workspace": a file that is not open is read from disk.
    let items = await diagnosticsOf(conn, FR_DRAFT);
    assert.equal(severityOf(items, 'attribution/hearsay'), 1, 'hearsay raised to error by copydesk.rules');
    assert.equal(severityOf(items, 'attribution/vague-source'), undefined, 'vague-source turned off by copydesk.rules');

    // A settings change, as sent by the extension, under `copydesk`.
    const reloaded = nextLog(/reloaded/);
    conn.sendNotification('workspace/didChangeConfiguration', {
      settings: { copydesk: serverSettings((s) => ({ rules: { 'attribution/hearsay': 'hint' } })[s]) },
    });
    await reloaded;
    items = await diagnosticsOf(conn, FR_DRAFT);
    assert.equal(severityOf(items, 'attribution/hearsay'), 4, 'hearsay lowered to hint');
    assert.equal(severityOf(items, 'attribution/vague-source'), 3, 'vague-source back to its default');
    assert.deepEqual(logs.filter((m) => /ignored|error|unknown/i.test(m)), []);
  } finally {
    await close();
  }
});

test('the server complains about a key it does not know (the check above is not vacuous)', { skip, timeout: 60000 }, async () => {
  const { conn, nextLog, close } = startServer();
  try {
    await initialize(conn, { codeLens: false });
    const complaint = nextLog(/editor settings ignored/);
    conn.sendNotification('initialized', {});
    assert.match(await complaint, /codeLens/);
  } finally {
    await close();
  }
});

test('the server is found from the setting, then the bundle, then PATH', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-resolve-'));
  try {
    const ext = path.join(tmp, 'ext');
    const binDir = path.join(tmp, 'bin');
    fs.mkdirSync(binDir, { recursive: true });
    const env = { PATH: binDir };
    const exe = (p) => {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, '#!/bin/sh\n');
      fs.chmodSync(p, 0o755);
    };

    let r = resolveServer({ configured: '', extensionPath: ext, env });
    assert.ok(!isResolved(r));
    assert.match(r.message, /not found/);

    // The generic package has no bundled binary: PATH.
    exe(path.join(binDir, 'copydesk'));
    r = resolveServer({ configured: '', extensionPath: ext, env });
    assert.deepEqual(r, { command: path.join(binDir, 'copydesk'), source: 'path' });

    // A platform package's own binary wins over an older one on PATH.
    const bundled = bundledPath(ext);
    exe(bundled);
    fs.chmodSync(bundled, 0o644); // as if packaging dropped the executable bit
    r = resolveServer({ configured: '', extensionPath: ext, env });
    assert.deepEqual(r, { command: bundled, source: 'bundled' });

    exe(path.join(tmp, 'ws', 'tools', 'copydesk'));
    r = resolveServer({ configured: '${workspaceFolder}/tools/copydesk', workspaceFolder: path.join(tmp, 'ws'), extensionPath: ext, env });
    assert.deepEqual(r, { command: path.join(tmp, 'ws', 'tools', 'copydesk'), source: 'setting' });
    r = resolveServer({ configured: 'tools/copydesk', workspaceFolder: path.join(tmp, 'ws'), extensionPath: ext, env });
    assert.deepEqual(r, { command: path.join(tmp, 'ws', 'tools', 'copydesk'), source: 'setting' });

    // A configured path that is wrong is reported, not replaced by another binary.
    r = resolveServer({ configured: '/nowhere/copydesk', extensionPath: ext, env });
    assert.ok(!isResolved(r));
    assert.match(r.message, /copydesk\.server\.path/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
