// Checks that the settings contributed in package.json match the server's
// configuration keys, read from the Rust sources (src/config.rs, src/rules.rs,
// src/lang.rs): a key added to, renamed in or removed from `Config` fails here until
// the extension follows.
//
// Run after `npm run compile` (it loads out/settings.js): `npm test`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const EXT = path.resolve(__dirname, '..');
const ROOT = path.resolve(EXT, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const props = pkg.contributes.configuration.properties;
const { SERVER_SETTINGS, CLIENT_SETTINGS, PROJECT_ONLY_KEYS, serverSettings } = require(path.join(EXT, 'out', 'settings.js'));

const configRs = fs.readFileSync(path.join(ROOT, 'src', 'config.rs'), 'utf8');
const rulesRs = fs.readFileSync(path.join(ROOT, 'src', 'rules.rs'), 'utf8');
const langRs = fs.readFileSync(path.join(ROOT, 'src', 'lang.rs'), 'utf8');

/** The body of `pub struct NAME { ... }` in a Rust source. */
function structBody(src, name) {
  const m = new RegExp(`pub struct ${name}\\s*\\{`).exec(src);
  assert.ok(m, `struct ${name} not found in src/config.rs`);
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; i < src.length && depth > 0; i++) {
    if (src[i] === '{') depth++;
    if (src[i] === '}') depth--;
  }
  return src.slice(start, i - 1);
}

/** The fields of a struct, as `{ name, type }`, in order. */
function structFields(src, name) {
  const body = structBody(src, name);
  // The parser knows no serde renaming: fail loudly rather than compare wrong names.
  assert.doesNotMatch(body, /rename/, `struct ${name} uses serde rename: teach this test about it`);
  const header = src.slice(0, src.indexOf(`pub struct ${name}`)).split('\n').slice(-4).join('\n');
  assert.doesNotMatch(header, /rename_all/, `struct ${name} uses serde rename_all: teach this test about it`);
  const fields = [];
  for (const m of body.matchAll(/^\s*pub\s+(\w+)\s*:\s*(.+?),?\s*$/gm)) {
    fields.push({ name: m[1], type: m[2].trim() });
  }
  assert.ok(fields.length > 0, `no fields parsed in struct ${name}`);
  return fields;
}

/**
 * The server's configuration keys, as dotted paths. A field whose type is another
 * configuration struct of this file (`lsp: LspOptions`) is expanded, except the
 * lexicon, which the editor passes as one object (checked separately below).
 */
function serverKeys() {
  const keys = [];
  const walk = (struct, prefix) => {
    for (const f of structFields(configRs, struct)) {
      const nested = new RegExp(`pub struct ${f.type}\\s*\\{`).test(configRs);
      if (nested && f.name !== 'lexicon') {
        walk(f.type, `${prefix}${f.name}.`);
      } else {
        keys.push(`${prefix}${f.name}`);
      }
    }
  };
  walk('Config', '');
  return keys;
}

function ruleCodes() {
  const m = /pub fn code\(self\)[^{]*\{\s*match self \{([\s\S]*?)\n\s*\}\s*\n\s*\}/.exec(rulesRs);
  assert.ok(m, 'Rule::code not found in src/rules.rs');
  const codes = [...m[1].matchAll(/Rule::\w+\s*=>\s*"([^"]+)"/g)].map((x) => x[1]);
  assert.ok(codes.length > 0, 'no rule codes parsed');
  return codes;
}

function severities() {
  return [...rulesRs.matchAll(/Severity::\w+\s*=>\s*"(\w+)"/g)].map((x) => x[1]);
}

function langCodes() {
  return [...langRs.matchAll(/Lang::\w+\s*=>\s*"(\w+)"/g)].map((x) => x[1]).filter((v, i, a) => a.indexOf(v) === i);
}

const mappedKey = (m) => m.server.join('.');

test('the server keys are parsed from src/config.rs', () => {
  const keys = serverKeys();
  for (const k of ['lang', 'rules', 'knowledge', 'builtin_knowledge', 'lsp.code_lens', 'lsp.debounce_ms']) {
    assert.ok(keys.includes(k), `expected ${k} among ${keys.join(', ')}`);
  }
});

test('every server key is an editor setting, or deliberately project-only', () => {
  const mapped = new Set(SERVER_SETTINGS.map(mappedKey));
  const missing = serverKeys().filter((k) => !mapped.has(k) && !(k in PROJECT_ONLY_KEYS));
  assert.deepEqual(missing, [], `server keys without a VS Code setting: ${missing.join(', ')}`);
});

test('every editor setting sets a key the server knows', () => {
  const keys = new Set(serverKeys());
  for (const m of SERVER_SETTINGS) {
    assert.ok(keys.has(mappedKey(m)), `copydesk.${m.setting} maps to ${mappedKey(m)}, which src/config.rs does not have`);
  }
  for (const k of Object.keys(PROJECT_ONLY_KEYS)) {
    assert.ok(keys.has(k), `PROJECT_ONLY_KEYS lists ${k}, which src/config.rs does not have`);
  }
});

test('package.json contributes exactly the mapped and client settings, each documented', () => {
  const expected = [...SERVER_SETTINGS.map((m) => m.setting), ...CLIENT_SETTINGS].map((s) => `copydesk.${s}`).sort();
  assert.deepEqual(Object.keys(props).sort(), expected);
  for (const [name, schema] of Object.entries(props)) {
    const doc = schema.markdownDescription || schema.description;
    assert.ok(doc && doc.length > 20, `${name} has no description`);
    assert.ok('default' in schema, `${name} has no default`);
  }
});

test('the rule settings list every rule and level', () => {
  const rules = props['copydesk.rules'];
  assert.deepEqual(Object.keys(rules.properties).sort(), ruleCodes().sort());
  const levels = [...severities(), 'off'];
  assert.deepEqual(levels.slice().sort(), ['error', 'hint', 'information', 'off', 'warning']);
  for (const [code, schema] of Object.entries(rules.properties)) {
    assert.deepEqual(schema.enum, levels, `levels of ${code}`);
  }
  assert.deepEqual(rules.additionalProperties.enum, levels);
});

test('the language setting offers auto and every language', () => {
  assert.deepEqual(props['copydesk.lang'].enum, ['auto', ...langCodes()]);
  assert.equal(props['copydesk.lang'].default, 'auto');
});

test('the lexicon setting has the server lexicon structure', () => {
  const langs = structFields(configRs, 'LexiconExtras').map((f) => f.name);
  const entries = structFields(configRs, 'LexiconExtra').map((f) => f.name);
  const lexicon = props['copydesk.lexicon'];
  assert.deepEqual(Object.keys(lexicon.properties).sort(), langs.slice().sort());
  for (const lang of langs) {
    assert.deepEqual(Object.keys(lexicon.properties[lang].properties).sort(), entries.slice().sort(), `lexicon.${lang}`);
  }
});

test('the defaults in package.json are the server defaults', () => {
  assert.match(configRs, /fn default_knowledge\(\)[^{]*\{\s*vec!\["knowledge"\.to_string\(\)\]/);
  assert.deepEqual(props['copydesk.knowledge'].default, ['knowledge']);
  assert.match(configRs, /pub builtin_knowledge: bool/);
  assert.match(configRs, /default = "default_true"\)\]\s*pub builtin_knowledge/);
  assert.equal(props['copydesk.builtinKnowledge'].default, true);
  const lspDefault = /impl Default for LspOptions[\s\S]*?code_lens:\s*(\w+),\s*debounce_ms:\s*(\d+)/.exec(configRs);
  assert.ok(lspDefault, 'LspOptions defaults not found');
  assert.equal(props['copydesk.codeLens'].default, lspDefault[1] === 'true');
  assert.equal(props['copydesk.debounceMs'].default, Number(lspDefault[2]));
});

test('serverSettings sends only what the user set, with the server key names', () => {
  const set = { lang: 'fr', codeLens: false, debounceMs: 40, rules: {}, builtinKnowledge: undefined };
  assert.deepEqual(serverSettings((s) => set[s]), { lang: 'fr', lsp: { code_lens: false, debounce_ms: 40 } });
  assert.deepEqual(serverSettings(() => undefined), {});
  assert.deepEqual(
    serverSettings((s) => (s === 'lexicon' ? { fr: { hearsay: ['dit-on'], reporting_verbs: null } } : undefined)),
    { lexicon: { fr: { hearsay: ['dit-on'] } } },
  );
});

test('the manifest is complete', () => {
  assert.equal(pkg.name, 'copydesk');
  assert.equal(pkg.publisher, 'copydesk');
  assert.equal(pkg.license, 'MIT');
  assert.ok(pkg.repository && pkg.repository.url, 'repository');
  assert.equal(pkg.engines.vscode, '^1.85.0');
  assert.deepEqual(pkg.activationEvents, ['onLanguage:markdown']);
  assert.ok(fs.existsSync(path.join(EXT, pkg.main.replace(/^\.\//, ''))), `${pkg.main} is built`);
  const titles = pkg.contributes.commands.map((c) => `${c.category}: ${c.title}`).sort();
  assert.deepEqual(titles, ['Copydesk: Check Workspace', 'Copydesk: Restart Server', 'Copydesk: Show Output']);
  const extension = fs.readFileSync(path.join(EXT, 'src', 'extension.ts'), 'utf8');
  for (const c of pkg.contributes.commands) {
    assert.ok(extension.includes(`'${c.command}'`), `${c.command} is registered`);
  }
  // @types/vscode must not be newer than engines.vscode, or vsce refuses to package.
  const typesVersion = pkg.devDependencies['@types/vscode'].replace(/^[~^]/, '');
  assert.ok(typesVersion.startsWith('1.85.'), `@types/vscode ${typesVersion} matches engines ^1.85`);
});
