// The VS Code settings of the extension and the server configuration keys they set.
//
// The server (`copydesk lsp`) takes the keys of `copydesk.toml` from the editor, in
// `initializationOptions` and in `workspace/didChangeConfiguration`, and merges them
// over the project's `copydesk.toml` (see `Config::merged_with_json` in
// src/config.rs). An unknown key makes the server ignore every editor setting, so only
// the keys in `SERVER_SETTINGS` are ever sent, and only those the user has set: a
// default from package.json must never override what the project's file says.
//
// This module does not import `vscode`, so that the tests can load it with plain Node.

/** One VS Code setting (under `copydesk.`) and the server key it sets. */
export interface SettingMapping {
  /** The VS Code setting, without the `copydesk.` prefix. */
  readonly setting: string;
  /** The key path in `copydesk.toml` and in the server's settings object. */
  readonly server: readonly string[];
}

/** Every VS Code setting that is passed to the server. */
export const SERVER_SETTINGS: readonly SettingMapping[] = [
  { setting: 'lang', server: ['lang'] },
  { setting: 'rules', server: ['rules'] },
  { setting: 'knowledge', server: ['knowledge'] },
  { setting: 'builtinKnowledge', server: ['builtin_knowledge'] },
  { setting: 'lexicon', server: ['lexicon'] },
  { setting: 'codeLens', server: ['lsp', 'code_lens'] },
  { setting: 'debounceMs', server: ['lsp', 'debounce_ms'] },
];

/** Settings used by the extension itself and never sent to the server. */
export const CLIENT_SETTINGS: readonly string[] = ['server.path', 'trace.server'];

/**
 * Server keys deliberately not offered as editor settings, with the reason. They
 * decide which files belong to the project and which findings it has accepted, so
 * they stay in `copydesk.toml` where `copydesk check` in CI reads them too.
 */
export const PROJECT_ONLY_KEYS: Readonly<Record<string, string>> = {
  include: 'which files are articles is a property of the project, shared with CI',
  exclude: 'which files are articles is a property of the project, shared with CI',
  baseline: 'the findings a newsroom has accepted are a property of the project, shared with CI',
};

/** The settings a change to which needs a new server process. */
export const RESTART_SETTINGS: readonly string[] = ['server.path'];

/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/**
 * Builds the server's settings object. `explicit(setting)` returns the value of a
 * setting the user has set (in any scope), or `undefined` when it is left at its
 * default, in which case the key is omitted and the project's file decides.
 */
export function serverSettings(explicit: (setting: string) => unknown): JsonObject {
  const out: JsonObject = {};
  for (const { setting, server } of SERVER_SETTINGS) {
    const value = explicit(setting);
    if (value === undefined || value === null) {
      continue;
    }
    if (isObject(value) && Object.keys(value).length === 0) {
      continue;
    }
    let node = out;
    for (const key of server.slice(0, -1)) {
      if (!isObject(node[key])) {
        node[key] = {};
      }
      node = node[key] as JsonObject;
    }
    node[server[server.length - 1]] = clean(value);
  }
  return out;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy without `null` and `undefined` members, which TOML cannot hold. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map(clean);
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && v !== undefined) {
        out[k] = clean(v);
      }
    }
    return out;
  }
  return value;
}
