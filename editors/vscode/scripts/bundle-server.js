#!/usr/bin/env node
// Copies the copydesk binary into server/ so that `vsce package` ships it inside the
// extension (the extension falls back to it when `copydesk` is not on PATH).
//
//   npm run bundle-server                  # copies ../../target/release/copydesk
//   COPYDESK_BIN=/path/to/copydesk npm run bundle-server
//
// Build the binary first with `cargo build --release` at the repository's root. A
// bundled binary only runs on the platform it was built for: publish one .vsix per
// platform (`vsce package --target linux-x64`, ...) if you ship it to others.
'use strict';
const fs = require('fs');
const path = require('path');

const exe = process.platform === 'win32' ? 'copydesk.exe' : 'copydesk';
const source = process.env.COPYDESK_BIN
  ? path.resolve(process.env.COPYDESK_BIN)
  : path.resolve(__dirname, '..', '..', '..', 'target', 'release', exe);
const targetDir = path.resolve(__dirname, '..', 'server');
const target = path.join(targetDir, exe);

if (!fs.existsSync(source)) {
  console.error(`bundle-server: ${source} does not exist; run \`cargo build --release\` at the repository's root first, or set COPYDESK_BIN.`);
  process.exit(1);
}
fs.mkdirSync(targetDir, { recursive: true });
fs.copyFileSync(source, target);
fs.chmodSync(target, 0o755);
const mb = (fs.statSync(target).size / (1024 * 1024)).toFixed(1);
console.log(`bundle-server: copied ${source} to ${path.relative(process.cwd(), target)} (${mb} MiB)`);
