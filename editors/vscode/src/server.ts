// Finding the `copydesk` executable: the `copydesk.server.path` setting, else the
// binary bundled in the extension (`server/copydesk`, put there by
// `npm run bundle-server` in a platform package), else `copydesk` on PATH.
//
// The bundled binary comes before PATH: it is the server this extension was
// packaged and tested with, whereas a `copydesk` on PATH may be an older one a
// writer installed long ago. A package without a bundled binary (the generic one
// developers build) uses PATH.
//
// This module does not import `vscode`, so that the tests can load it with plain Node.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where the server was found. */
export type ServerSource = 'setting' | 'path' | 'bundled';

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

/** Why no server was found. */
export interface ServerNotFound {
  /** A sentence for the user. */
  message: string;
  /** The places that were tried, for the output channel. */
  tried: string[];
}

export interface ResolveOptions {
  /** The `copydesk.server.path` setting ('' when unset). */
  configured: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
  /** The extension's folder, which may hold `server/copydesk`. */
  extensionPath: string;
  /** The environment (PATH, PATHEXT); `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The platform; `process.platform` by default. */
  platform?: NodeJS.Platform;
}

/** The executable's name on `platform`. */
export function exeName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'copydesk.exe' : 'copydesk';
}

/** The path of the binary bundled in the extension. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'server', exeName(platform));
}

/** Expands `~` and `${workspaceFolder}`, and makes a relative path absolute. */
export function expandPath(p: string, workspaceFolder?: string): string {
  let out = p.trim();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (workspaceFolder !== undefined) {
    out = out.split('${workspaceFolder}').join(workspaceFolder);
  }
  if (!path.isAbsolute(out) && workspaceFolder !== undefined && /[\\/]/.test(out)) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on PATH, as a shell would (with PATHEXT on Windows). */
export function which(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  const exts =
    platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Finds the server, or says why there is none. */
export function resolveServer(opts: ResolveOptions): ResolvedServer | ServerNotFound {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const configured = opts.configured.trim();
  if (configured) {
    // A configured path is used or reported, never silently replaced by another
    // binary: the user asked for that one.
    const expanded = expandPath(configured, opts.workspaceFolder);
    if (!path.isAbsolute(expanded) && !/[\\/]/.test(expanded)) {
      // A bare name such as `copydesk-nightly`: look it up on PATH.
      const found = which(expanded, env, platform);
      if (found) {
        return { command: found, source: 'setting' };
      }
    } else if (isExecutableFile(expanded, platform)) {
      return { command: expanded, source: 'setting' };
    }
    return {
      message: `The setting copydesk.server.path is "${configured}", but no executable is there.`,
      tried: [expanded],
    };
  }
  const bundled = bundledPath(opts.extensionPath, platform);
  if (fs.existsSync(bundled) && platform !== 'win32' && !isExecutableFile(bundled, platform)) {
    // A packaging step may have dropped the executable bit.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch {
      // Then PATH is tried, and failing that it is reported as not found.
    }
  }
  if (isExecutableFile(bundled, platform)) {
    return { command: bundled, source: 'bundled' };
  }
  const onPath = which('copydesk', env, platform);
  if (onPath) {
    return { command: onPath, source: 'path' };
  }
  return {
    message:
      'The copydesk language server was not found: no binary is bundled with the extension, it is not on PATH, and copydesk.server.path is not set.',
    tried: [bundled, 'copydesk on PATH'],
  };
}

export function isResolved(r: ResolvedServer | ServerNotFound): r is ResolvedServer {
  return (r as ResolvedServer).command !== undefined;
}
