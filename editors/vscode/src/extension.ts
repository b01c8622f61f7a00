// The copydesk extension: starts `copydesk lsp` for Markdown files and adds three
// commands (restart the server, check the whole workspace, show the output).
//
// Diagnostics of open editors come from the language client (VS Code pulls them for
// the visible documents). "Check Workspace" fills the Problems panel for every other
// article by asking the server for each file's diagnostics (`textDocument/diagnostic`
// on a document that is not open: the server reads it from disk), into a collection
// of its own that gives way to the client's when a file is opened in an editor.

import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { isResolved, resolveServer } from './server';
import { RESTART_SETTINGS, SERVER_SETTINGS, serverSettings } from './settings';

/** Where a user learns how to install the server. */
export const INSTALL_URL =
  'https://github.com/copydesk/copydesk/blob/main/editors/README.md#install-the-server';

/** The articles the workspace check looks at, and the folders it skips. */
const ARTICLES_GLOB = '**/*.{md,markdown}';
const SKIPPED_GLOB = '**/{node_modules,.git,target}/**';
/** How many files the workspace check asks about at once. */
const CHECK_CONCURRENCY = 4;

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let workspaceDiagnostics: vscode.DiagnosticCollection;
/** Whether "Check Workspace" has run, so that closed and changed files are rechecked. */
let workspaceChecked = false;
/** Serialises starts and stops. */
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Copydesk');
  workspaceDiagnostics = vscode.languages.createDiagnosticCollection('copydesk-workspace');
  context.subscriptions.push(output, workspaceDiagnostics);

  context.subscriptions.push(
    vscode.commands.registerCommand('copydesk.restartServer', () => restart(context)),
    vscode.commands.registerCommand('copydesk.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('copydesk.checkWorkspace', () => checkWorkspace()),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(e, context)),
    vscode.window.tabGroups.onDidChangeTabs((e) => onTabsChanged(e)),
  );

  const watcher = vscode.workspace.createFileSystemWatcher(ARTICLES_GLOB);
  context.subscriptions.push(
    watcher,
    watcher.onDidChange((uri) => recheckLater(uri)),
    watcher.onDidCreate((uri) => recheckLater(uri)),
    watcher.onDidDelete((uri) => workspaceDiagnostics.delete(uri)),
  );

  await enqueue(() => start(context));
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

function enqueue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

/** The settings the user has set (in any scope), mapped to the server's keys. */
function currentServerSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('copydesk');
  return serverSettings((setting) => {
    const i = config.inspect(setting);
    const set =
      i !== undefined &&
      (i.globalValue !== undefined ||
        i.workspaceValue !== undefined ||
        i.workspaceFolderValue !== undefined);
    return set ? config.get(setting) : undefined;
  });
}

function firstWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration('copydesk').get<string>('server.path', '');
  const resolved = resolveServer({
    configured,
    workspaceFolder: firstWorkspaceFolder(),
    extensionPath: context.extensionPath,
  });
  if (!isResolved(resolved)) {
    output.appendLine(`[copydesk] ${resolved.message} Tried: ${resolved.tried.join(', ')}.`);
    void notifyNotFound(resolved.message);
    return;
  }
  output.appendLine(`[copydesk] starting ${resolved.command} lsp (found from ${resolved.source})`);

  const serverOptions: ServerOptions = {
    run: { command: resolved.command, args: ['lsp'] },
    debug: { command: resolved.command, args: ['lsp'] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    // The server takes the keys of copydesk.toml, bare here and under `copydesk` in
    // didChangeConfiguration (see onConfigurationChanged).
    initializationOptions: currentServerSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    diagnosticCollectionName: 'copydesk',
    middleware: {
      // The code lens runs the server's `copydesk.sources`, whose answer is the
      // article's source roster as Markdown: show it beside the article.
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === SOURCES_COMMAND && typeof result === 'string') {
          await showRoster(result);
        }
        return result;
      },
    },
  };
  // The id `copydesk` makes the client read the trace level from `copydesk.trace.server`.
  const next = new LanguageClient('copydesk', 'Copydesk', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (e) {
    output.appendLine(`[copydesk] the server did not start: ${String(e)}`);
    void vscode.window
      .showErrorMessage(`Copydesk: the language server did not start (${String(e)}).`, 'Show Output')
      .then((choice) => choice && output.show(true));
  }
}

/** The server command that answers with an article's source roster (Markdown). */
const SOURCES_COMMAND = 'copydesk.sources';

/** Opens the roster in a Markdown preview beside the article. */
async function showRoster(markdown: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri);
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  if (!current) {
    return;
  }
  try {
    if (current.state !== State.Stopped) {
      await current.stop(2000);
    }
  } catch (e) {
    output.appendLine(`[copydesk] stopping the server: ${String(e)}`);
  }
  try {
    await current.dispose(2000);
  } catch {
    // Already stopped.
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  output.appendLine('[copydesk] restarting the server');
  await enqueue(async () => {
    await stop();
    await start(context);
  });
}

async function notifyNotFound(message: string): Promise<void> {
  const install = 'Install Instructions';
  const settings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(
    `Copydesk: ${message} Install copydesk, or set copydesk.server.path.`,
    install,
    settings,
  );
  if (choice === install) {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'copydesk.server.path');
  }
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent, context: vscode.ExtensionContext): void {
  if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(`copydesk.${s}`))) {
    void restart(context);
    return;
  }
  // The trace level is the client's business; only server keys go to the server.
  if (!SERVER_SETTINGS.some((m) => e.affectsConfiguration(`copydesk.${m.setting}`))) {
    return;
  }
  const running = client;
  if (!running || running.state !== State.Running) {
    return;
  }
  void running
    .sendNotification(DidChangeConfigurationNotification.type, {
      settings: { copydesk: currentServerSettings() },
    })
    .then(() => {
      if (workspaceChecked) {
        // The server reloads its configuration; check again once it has.
        setTimeout(() => void checkWorkspace({ quiet: true }), 500);
      }
    });
}

/** The files shown in an editor tab: the language client keeps their diagnostics. */
function urisInTabs(): Set<string> {
  const uris = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText) {
        uris.add(tab.input.uri.toString());
      }
    }
  }
  return uris;
}

function onTabsChanged(e: vscode.TabChangeEvent): void {
  for (const tab of e.opened) {
    if (tab.input instanceof vscode.TabInputText) {
      workspaceDiagnostics.delete(tab.input.uri);
    }
  }
  if (!workspaceChecked) {
    return;
  }
  const open = urisInTabs();
  for (const tab of e.closed) {
    if (tab.input instanceof vscode.TabInputText && !open.has(tab.input.uri.toString())) {
      recheckLater(tab.input.uri);
    }
  }
}

const pendingRechecks = new Map<string, NodeJS.Timeout>();

/** Rechecks one file of the workspace check, after the dust settles. */
function recheckLater(uri: vscode.Uri): void {
  if (!workspaceChecked || uri.scheme !== 'file') {
    return;
  }
  const key = uri.toString();
  clearTimeout(pendingRechecks.get(key));
  pendingRechecks.set(
    key,
    setTimeout(() => {
      pendingRechecks.delete(key);
      if (!urisInTabs().has(key)) {
        void diagnoseFile(uri).then((d) => d && workspaceDiagnostics.set(uri, d));
      }
    }, 300),
  );
}

/** Asks the server for the diagnostics of a file (read from disk when not open). */
async function diagnoseFile(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<vscode.Diagnostic[] | undefined> {
  const running = client;
  if (!running || running.state !== State.Running) {
    return undefined;
  }
  try {
    const report = await running.sendRequest(
      DocumentDiagnosticRequest.type,
      {
        textDocument: { uri: running.code2ProtocolConverter.asUri(uri) },
        identifier: 'copydesk',
      },
      token,
    );
    if (report.kind !== DocumentDiagnosticReportKind.Full) {
      return undefined;
    }
    return await running.protocol2CodeConverter.asDiagnostics(report.items, token);
  } catch (e) {
    output.appendLine(`[copydesk] checking ${uri.fsPath}: ${String(e)}`);
    return undefined;
  }
}

/** Fills the Problems panel with the findings of every article of the workspace. */
async function checkWorkspace(opts: { quiet?: boolean } = {}): Promise<void> {
  if (!client || client.state !== State.Running) {
    if (!opts.quiet) {
      void vscode.window.showWarningMessage('Copydesk: the language server is not running.', 'Show Output')
        .then((choice) => choice && output.show(true));
    }
    return;
  }
  const files = await vscode.workspace.findFiles(ARTICLES_GLOB, SKIPPED_GLOB);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  workspaceChecked = true;
  const inTabs = urisInTabs();
  let findings = 0;
  let checked = 0;
  await vscode.window.withProgress(
    {
      location: opts.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: 'Copydesk: checking the workspace',
      cancellable: true,
    },
    async (progress, token) => {
      const queue = files.filter((f) => !inTabs.has(f.toString()));
      const seen = new Set(queue.map((f) => f.toString()));
      // Forget files that are gone or now open in an editor.
      workspaceDiagnostics.forEach((uri) => {
        if (!seen.has(uri.toString())) {
          workspaceDiagnostics.delete(uri);
        }
      });
      const total = queue.length;
      const step = total > 0 ? 100 / total : 100;
      const worker = async (): Promise<void> => {
        for (let f = queue.shift(); f !== undefined && !token.isCancellationRequested; f = queue.shift()) {
          const diagnostics = await diagnoseFile(f, token);
          if (diagnostics !== undefined && !urisInTabs().has(f.toString())) {
            workspaceDiagnostics.set(f, diagnostics);
            findings += diagnostics.length;
          }
          checked += 1;
          progress.report({ increment: step, message: `${checked}/${total}` });
        }
      };
      await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
    },
  );
  for (const f of files.filter((f) => inTabs.has(f.toString()))) {
    findings += vscode.languages.getDiagnostics(f).filter((d) => d.source === 'copydesk').length;
  }
  const summary = `Copydesk: checked ${files.length} article${files.length === 1 ? '' : 's'}, ${findings} finding${findings === 1 ? '' : 's'}.`;
  output.appendLine(`[copydesk] ${summary}`);
  if (!opts.quiet) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showInformationMessage(summary);
  }
}
