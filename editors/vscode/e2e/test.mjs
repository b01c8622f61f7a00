// End-to-end test of the copydesk extension in the real VS Code workbench
// (code-server), driven by Playwright in Debian's chromium. Started by run.sh,
// which installs the tools, starts code-server and passes everything in the
// environment; run it through run.sh, not by hand.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
const need = (k) => {
  if (!env[k]) throw new Error(`${k} is not set (start the test with run.sh)`);
  return env[k];
};
const URL_BASE = need('COPYDESK_E2E_URL');
const WS = need('COPYDESK_E2E_WORKSPACE');
const BIN = need('COPYDESK_E2E_BIN');
const OUT = need('COPYDESK_E2E_OUT');
const TMP = need('COPYDESK_E2E_TMP');
const LOG = env.COPYDESK_E2E_LOG;
const ROOT = need('COPYDESK_E2E_ROOT');
const CHROMIUM = env.COPYDESK_E2E_CHROMIUM || '/usr/bin/chromium';
const HEADED = env.COPYDESK_E2E_HEADED === '1';
// 'setting': the server from copydesk.server.path (the developer's set-up);
// 'bundled': the platform package's own server, nothing on PATH, no setting (the
// writer's set-up). The bundled run checks what a writer must see, and that the
// server is the bundled one; references and quick fixes are the setting run's.
const MODE = env.COPYDESK_E2E_MODE || 'setting';
const BUNDLED = MODE === 'bundled';
// Screenshots of the two runs do not overwrite each other.
const SHOT = BUNDLED ? 'vscode-bundled' : 'vscode';

// What is opened and looked at.
const FR_FILE = env.COPYDESK_E2E_FILE || '2024-06-28-bielorussie-armenie-minsk.md';
const EN_FILE = '2024-06-13-armenia-will-leave-csto.md'; // says "CSTO"
const ACRONYM = 'OTSC';
const ENTITY_ID = 'csto';

const MOD = 'Control';
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (...a) => console.log(`[${secs()}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const norm = (s) => s.replace(/[\u00a0\u202f\u2007]/g, ' ');

// ------------------------------------------------------------------ expectations
const frPath = path.join(WS, FR_FILE);
const frOriginal = fs.readFileSync(frPath);
const frLines = frOriginal.toString('utf8').split('\n');

function checkJson(file) {
  let out;
  try {
    out = execFileSync(BIN, ['check', file, '--format', 'json'], { cwd: WS, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    // `check` exits non-zero when it finds something; its output is still the report.
    if (e.stdout) out = e.stdout;
    else throw new Error(`copydesk check ${file} failed: ${e.message}`);
  }
  return JSON.parse(out);
}
function counts(file) {
  const found = checkJson(file).findings.filter((f) => path.basename(f.path) === file);
  const n = (s) => found.filter((f) => f.severity === s).length;
  return { findings: found, errors: n('error'), warnings: n('warning'), infos: n('information'), hints: n('hint') };
}
const { findings, ...expected } = counts(FR_FILE);
// A second French draft for the status bar, one with information findings, so
// that all three counts the status bar shows are compared.
const FR_FILE2 = env.COPYDESK_E2E_FILE2 || '2024-02-23-armenie-gel-otsc.md';
const hearsay = findings.find((f) => f.rule === 'attribution/hearsay');
// The quick fix: the acronym expansion on « OTSC » when there is one, else the first fix.
const fixed =
  findings.find((f) => f.fixes?.length && f.cue === ACRONYM) || findings.find((f) => f.fixes?.length);
const fix = fixed?.fixes[0];

// Where « OTSC » is: the acronym finding's line, else its first mention.
let otsc = null;
{
  const lineNo = fixed && fixed.cue === ACRONYM ? fixed.line : frLines.findIndex((l) => l.includes(ACRONYM)) + 1;
  if (lineNo > 0) {
    const col = frLines[lineNo - 1].indexOf(ACRONYM) + 1; // UTF-16 columns, as VS Code counts
    if (col > 0) otsc = { line: lineNo, col };
  }
}

// The CSTO card's text, from the knowledge base (French, since the draft is French).
function entityTexts() {
  const fallback = {
    name: 'Organisation du traité de sécurité collective',
    description: 'Alliance militaire',
  };
  try {
    const toml = fs.readFileSync(path.join(ROOT, 'knowledge', 'organisations.toml'), 'utf8');
    const start = toml.indexOf(`id = "${ENTITY_ID}"`);
    if (start < 0) return fallback;
    const end = toml.indexOf('[[entity]]', start);
    const block = toml.slice(start, end < 0 ? undefined : end);
    const name = /^name\s*=\s*\{[^}]*\bfr\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const desc = /^description\s*=\s*\{[^}]*\bfr\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    return {
      name: name || fallback.name,
      // the first few words are enough, and survive Markdown rendering
      description: desc ? desc.split(/\s+/).slice(0, 3).join(' ') : fallback.description,
    };
  } catch {
    return fallback;
  }
}
const card = entityTexts();

function applyEdits(buf, edits) {
  const sorted = [...edits].sort((a, b) => b.start_byte - a.start_byte);
  let out = buf;
  for (const e of sorted) {
    out = Buffer.concat([out.subarray(0, e.start_byte), Buffer.from(e.replacement, 'utf8'), out.subarray(e.end_byte)]);
  }
  return out.toString('utf8');
}

log(`mode: ${MODE}; file: ${FR_FILE}; copydesk check: ${findings.length} findings`, JSON.stringify(expected));
log(`hearsay cue: ${hearsay ? `« ${hearsay.cue} » at ${hearsay.line}:${hearsay.column}` : 'NONE'}`);
log(`« ${ACRONYM} » at ${otsc ? `${otsc.line}:${otsc.col}` : 'NOT FOUND'}; quick fix: ${fix ? fix.title : 'NONE'}`);

// ------------------------------------------------------------------ harness
const results = [];
let page, context;
const consoleErrors = [];

async function step(name, fn, { retries = 2, timeout = 45_000, requires = [] } = {}) {
  const missing = requires.filter((r) => !results.find((x) => x.name === r && x.ok));
  if (missing.length) {
    results.push({ name, ok: false, error: `not run: needs "${missing.join('", "')}"` });
    console.log(`FAIL  ${name}: not run, needs "${missing.join('", "')}"`);
    return;
  }
  let lastErr;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const started = Date.now();
    try {
      let timer;
      await Promise.race([
        fn(attempt),
        new Promise((_, rej) => {
          timer = setTimeout(() => rej(new Error(`step timed out after ${timeout / 1000} s`)), timeout);
        }),
      ]).finally(() => clearTimeout(timer));
      results.push({ name, ok: true });
      console.log(`ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s${attempt > 1 ? `, attempt ${attempt}` : ''})`);
      return;
    } catch (e) {
      lastErr = e;
      log(`      ${name}: attempt ${attempt} failed: ${firstLines(e.message, 6)}`);
      if (e.fatal) attempt = retries + 1; // retrying cannot help
      if (page) {
        await page
          .screenshot({ path: path.join(OUT, `${SHOT}-failure-${slug(name)}.png`) })
          .catch(() => {});
        // Close whatever widget is open before trying again.
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
      }
    }
  }
  results.push({ name, ok: false, error: lastErr?.message });
  console.log(`FAIL  ${name}: ${firstLines(lastErr?.message ?? '', 12)}`);
  console.log(`      (screenshot: ${path.join(OUT, `${SHOT}-failure-${slug(name)}.png`)})`);
}
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const firstLines = (s, n) => String(s).split('\n').slice(0, n).join('\n      ');

async function until(what, fn, timeout = 20_000, interval = 250) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await sleep(interval);
  }
}

/** The extension's "Copydesk" output channel, as VS Code logs it. */
function copydeskOutput() {
  const files = findLogs(path.join(TMP, 'user-data', 'logs'), /Copydesk\.log$/);
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
/** Stops waiting at once when the extension says its server cannot run. */
function failIfServerDown() {
  const out = copydeskOutput();
  const m = /.*(not found|could not start|couldn't start|failed to start|server crashed|ENOENT|EACCES).*/i.exec(out);
  if (m) {
    const e = new Error(`the extension reports: ${m[0].trim()}`);
    e.fatal = true;
    throw e;
  }
}

// ------------------------------------------------------------------ workbench helpers
const editor = () => page.locator('.editor-instance .monaco-editor').first();

async function focusEditor() {
  // Keyboard only: a click could land on a notification or scroll the editor.
  await page.keyboard.press('Escape');
  await page.keyboard.press(`${MOD}+1`); // View: Focus First Editor Group
  await until('the editor to have the focus', () => editor().evaluate((ed) => ed.classList.contains('focused')), 5000);
}

async function quickInput(keys, text, rowText) {
  await page.keyboard.press(keys);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  if (rowText === undefined) {
    await page.keyboard.type(text, { delay: 10 });
  } else {
    await input.fill(text);
    // Enter takes the focused row: wait until the filtered list has put the
    // wanted one there (the list first shows recently opened files).
    await page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(150);
    if (!(await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).count())) {
      throw new Error(`quick input: "${rowText}" is no longer the focused row`);
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

async function openFile(name) {
  await quickInput(`${MOD}+P`, name, name);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  await editor().locator('.view-line').first().waitFor({ timeout: 15_000 });
}

/** Makes `name` the only open editor (so the status bar counts that file alone). */
async function onlyOpen(name, checkEmpty = false) {
  const tabs = page.locator('.tabs-container .tab');
  if ((await tabs.count()) === 1 && (await tabs.first().innerText()).includes(name)) return;
  await focusEditor().catch(() => {});
  await page.keyboard.press(`${MOD}+K`);
  await page.keyboard.press('w'); // View: Close All Editors in Group
  await until('the editors to close', async () => (await tabs.count()) === 0, 10_000);
  if (checkEmpty) await statusBarMatches('(no file open)', { errors: 0, warnings: 0, infos: 0, hints: 0 });
  await openFile(name);
}

async function goTo(line, col) {
  await quickInput(`${MOD}+G`, `${line}:${col}`);
  await until(`the cursor at Ln ${line}, Col ${col}`, async () => {
    const t = await page.locator('[id="status.editor.selection"]').innerText({ timeout: 2000 });
    return t.includes(`Ln ${line}, Col ${col}`);
  }, 10_000);
}

/** Text of the rendered lines (wrapped lines joined), for "does the editor show X". */
async function visibleText() {
  return norm(
    await editor().evaluate((ed) =>
      [...ed.querySelectorAll('.view-lines .view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => l.textContent)
        .join('\n'),
    ),
  );
}

/** Whether a squiggle of one of `classes` is drawn under the rendered text `cue`. */
async function squiggleUnder(cue, classes) {
  return editor().evaluate(
    (ed, { cue, classes }) => {
      const norm = (s) => s.replace(/[\u00a0\u202f\u2007]/g, ' ');
      const lines = [...ed.querySelectorAll('.view-lines .view-line')].sort(
        (a, b) => parseFloat(a.style.top) - parseFloat(b.style.top),
      );
      const nodes = [];
      let all = '';
      for (const l of lines) {
        const w = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          nodes.push({ n, start: all.length });
          all += n.data;
        }
      }
      const at = norm(all).indexOf(norm(cue));
      if (at < 0) return { found: false, reason: 'cue not rendered' };
      const locate = (off) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].start <= off) return [nodes[i].n, off - nodes[i].start];
      };
      const r = document.createRange();
      r.setStart(...locate(at));
      r.setEnd(...locate(at + cue.length));
      const cueRects = [...r.getClientRects()].filter((x) => x.width > 0);
      const squiggles = [...ed.querySelectorAll(classes.map((c) => `.${c}`).join(','))].map((s) => ({
        cls: s.className,
        rect: s.getBoundingClientRect(),
      }));
      const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom + 2 && b.top < a.bottom + 2;
      const hit = squiggles.find((s) => cueRects.some((c) => overlap(c, s.rect)));
      return { found: true, hit: hit ? hit.cls : null, squiggles: squiggles.length };
    },
    { cue, classes },
  );
}

async function problemsStatus() {
  // The item reads "<error icon> 0 <warning icon> 2", with "<info icon> N" after
  // when there is information; its aria-label lists the kinds that are not zero
  // ("Warnings: 2", "Errors: 1, Warnings: 2, Infos: 3") or says "No Problems".
  const item = page.locator('[id="status.problems"]');
  const label = (await item.getAttribute('aria-label', { timeout: 2000 })) || '';
  const text = norm(await item.innerText({ timeout: 2000 }));
  const fromLabel = (kind) => {
    const m = new RegExp(`${kind}s?:\\s*(\\d+)`, 'i').exec(label) || new RegExp(`(\\d+)\\s+${kind}`, 'i').exec(label);
    return m ? Number(m[1]) : 0;
  };
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  const none = /no problems/i.test(label);
  return {
    errors: none ? 0 : nums.length >= 2 ? nums[0] : fromLabel('error'),
    warnings: none ? 0 : nums.length >= 2 ? nums[1] : fromLabel('warning'),
    infos: none ? 0 : fromLabel('info'),
    label,
    text: text.replace(/\s+/g, ' ').trim(),
  };
}

async function statusBarMatches(file, want) {
  let last;
  try {
    await until('the status bar counts', async () => {
      last = await problemsStatus();
      return last.errors === want.errors && last.warnings === want.warnings && last.infos === want.infos;
    }, 20_000);
  } catch {
    throw new Error(
      `status bar shows errors=${last?.errors} warnings=${last?.warnings} information=${last?.infos} ` +
        `("${last?.text}", aria-label "${last?.label}"); copydesk check ${file} reports ` +
        `errors=${want.errors} warnings=${want.warnings} information=${want.infos} (hints: ${want.hints}, never counted)`,
    );
  }
  log(`      ${file}: status bar "${last.text}" (${last.label || 'no label'}); copydesk check: ` +
    `${want.errors} errors, ${want.warnings} warnings, ${want.infos} information, ${want.hints} hints`);
}

// ------------------------------------------------------------------ the test
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f.startsWith(`${SHOT}-`) && f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
  context = await chromium.launchPersistentContext(path.join(TMP, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: !HEADED,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=Translate,MediaRouter',
      '--lang=en-US',
    ],
    timeout: 60_000,
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await step('workbench opens the newsroom copy', async () => {
    await page.goto(`${URL_BASE}?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('[id="status.problems"]').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FR_FILE }).first().waitFor({ timeout: 30_000 });
  }, { retries: 1, timeout: 120_000 });

  await step(`opening ${FR_FILE} shows a squiggle on the hearsay cue`, async () => {
    if (!hearsay) throw new Error(`copydesk check reports no attribution/hearsay finding in ${FR_FILE}`);
    if (!(await page.locator('.tabs-container .tab.active', { hasText: FR_FILE }).count())) await openFile(FR_FILE);
    // The extension starts with the first Markdown file, then the server analyses it.
    await goTo(hearsay.line, hearsay.column);
    const cls = { error: 'squiggly-error', warning: 'squiggly-warning', information: 'squiggly-info', hint: 'squiggly-hint' }[hearsay.severity];
    const r = await until(`a .${cls} under « ${hearsay.cue} » (line ${hearsay.line})`, async () => {
      failIfServerDown();
      const r = await squiggleUnder(hearsay.cue, [cls]);
      if (!r.found) throw new Error(`« ${hearsay.cue} » is not in the rendered lines`);
      if (!r.hit) throw new Error(`${r.squiggles} .${cls} in the editor, none under the cue`);
      return r;
    }, 40_000);
    log(`      squiggle under « ${hearsay.cue} »: ${r.hit}`);
  }, { retries: 1, timeout: 60_000, requires: ['workbench opens the newsroom copy'] });

  const opened = `opening ${FR_FILE} shows a squiggle on the hearsay cue`;
  if (BUNDLED) {
    await step('the extension runs the server bundled in its package', async () => {
      const out = await until('the Copydesk output channel to name the server', () => {
        const m = /starting (.+) lsp \(found from (\w+)\)/.exec(copydeskOutput());
        return m && { command: m[1], source: m[2] };
      }, 20_000);
      if (out.source !== 'bundled') throw new Error(`the server was found from ${out.source}: ${out.command}`);
      const extensions = path.join(TMP, 'extensions');
      if (!out.command.startsWith(extensions) || !out.command.endsWith(path.join('server', 'copydesk'))) {
        throw new Error(`the server ${out.command} is not the one inside the installed extension (${extensions})`);
      }
      log(`      server: ${out.command}`);
    }, { retries: 0, requires: [opened] });
  }

  await step('status bar problem count equals copydesk check', async () => {
    await statusBarMatches(FR_FILE, expected);
  }, { retries: 0, requires: [opened] });

  if (!BUNDLED) await step(`status bar problem count equals copydesk check (${FR_FILE2})`, async () => {
    const want2 = counts(FR_FILE2);
    await onlyOpen(FR_FILE2, true);
    await statusBarMatches(FR_FILE2, want2);
  }, { retries: 1, requires: [opened] });


  await step(`hover on « ${ACRONYM} » shows the CSTO card`, async () => {
    if (!otsc) throw new Error(`« ${ACRONYM} » is not in ${FR_FILE}`);
    await onlyOpen(FR_FILE);
    await focusEditor();
    await goTo(otsc.line, otsc.col + 1);
    const hover = page.locator('.monaco-hover:visible', { hasText: card.name });
    await until(`a .monaco-hover with « ${card.name} »`, async () => {
      await page.keyboard.press(`${MOD}+K`);
      await page.keyboard.press(`${MOD}+I`);
      await hover.first().waitFor({ state: 'visible', timeout: 4000 });
      return true;
    }, 30_000, 500);
    const text = norm(await hover.first().innerText());
    for (const want of [card.name, card.description]) {
      if (!text.includes(norm(want))) throw new Error(`the hover lacks « ${want} »; it says:\n${text.slice(0, 600)}`);
    }
    log(`      hover: ${text.replace(/\s+/g, ' ').slice(0, 160)}…`);
    // Bring the entity card (below the finding's card, when there is one) into view.
    const heading = hover.first().locator('h1, h2, h3, h4, strong', { hasText: card.name }).first();
    const box = await hover.first().boundingBox();
    if (box && (await heading.count())) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 10; i++) {
        const [hb, cb] = [await heading.boundingBox(), await hover.first().boundingBox()];
        if (!hb || !cb || hb.y <= cb.y + 40) break;
        await page.mouse.wheel(0, Math.min(120, hb.y - cb.y - 30));
        await sleep(100);
      }
    }
    if (!(await hover.first().isVisible())) throw new Error('the hover closed before the screenshot');
    await sleep(300); // let the widget finish rendering
    await page.screenshot({ path: path.join(OUT, `${SHOT}-hover.png`) });
    log(`      screenshot: ${path.join(OUT, `${SHOT}-hover.png`)}`);
  }, { requires: [opened] });

  if (BUNDLED) return;

  await step(`Go to References on « ${ACRONYM} » lists ${EN_FILE}`, async () => {
    if (!otsc) throw new Error(`« ${ACRONYM} » is not in ${FR_FILE}`);
    await onlyOpen(FR_FILE);
    await focusEditor();
    await goTo(otsc.line, otsc.col + 1);
    await page.keyboard.press('Shift+F12');
    const tree = page.locator('.reference-zone-widget .ref-tree').first();
    await tree.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await until(`${EN_FILE} in the references peek`, async () => {
      const t = await tree.innerText();
      return t.includes(EN_FILE) ? t : false;
    }, 20_000).catch(async (e) => {
      const t = await tree.innerText().catch(() => '');
      throw new Error(`${e.message}; the references view lists:\n${t.slice(0, 800)}`);
    });
    log(`      references: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    // Open the English article's entry: its lines must be the ones that say CSTO.
    const row = tree.locator('.monaco-list-row', { hasText: EN_FILE }).first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    const enLines = await until(`the lines of ${EN_FILE} in the peek`, async () => {
      const rows = await tree.locator('.monaco-list-row').allInnerTexts();
      const at = rows.findIndex((r) => r.includes(EN_FILE));
      const mine = [];
      for (let i = at + 1; i < rows.length && !/\.md\b/.test(rows[i].split('\n')[0]); i++) mine.push(rows[i]);
      return mine.length ? mine : false;
    }, 10_000);
    const csto = enLines.filter((l) => /CSTO|Collective Security Treaty Organi[sz]ation/.test(l));
    if (!csto.length) throw new Error(`the references in ${EN_FILE} do not mention the CSTO:\n${enLines.join('\n')}`);
    log(`      ${EN_FILE}: ${enLines.length} references, e.g. "${norm(csto[0]).replace(/\s+/g, ' ').slice(0, 120)}"`);
    await page.keyboard.press('Escape');
  }, { requires: [opened] });

  await step(`quick fix "${fix?.title ?? '(none)'}" changes the text`, async (attempt) => {
    if (!fix) throw new Error(`copydesk check reports no finding with a fix in ${FR_FILE}`);
    const want = applyEdits(frOriginal, fix.edits);
    if (attempt > 1 && fs.readFileSync(frPath, 'utf8') === want) return; // applied and saved by an earlier attempt
    const e0 = fix.edits[0];
    const line = frLines[e0.line - 1];
    const col = (fixed.cue && line.indexOf(fixed.cue) >= 0 ? line.indexOf(fixed.cue) : 0) + 2;
    await onlyOpen(FR_FILE);
    await focusEditor();
    await goTo(e0.line, col);
    await page.keyboard.press(`${MOD}+.`);
    const item = page.locator('.action-widget .monaco-list-row', { hasText: fix.title }).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (e) => {
      const rows = await page.locator('.action-widget').first().innerText().catch(() => '(no action widget)');
      throw new Error(`no "${fix.title}" in the quick fix menu: ${rows.replace(/\s+/g, ' ').slice(0, 400)}`);
    });
    await item.click();
    // the edit shows in the editor...
    const inserted = norm(fix.edits[0].replacement);
    await until(`« ${fix.edits[0].replacement} » in the editor`, async () => (await visibleText()).includes(inserted), 10_000);
    // ... and, once saved, the file is exactly the original with the fix's edits
    await page.keyboard.press(`${MOD}+S`);
    await until('the saved file', async () => fs.readFileSync(frPath, 'utf8') === want, 10_000).catch(() => {
      const got = fs.readFileSync(frPath, 'utf8').split('\n');
      const exp = want.split('\n');
      const i = exp.findIndex((l, k) => l !== got[k]);
      throw new Error(`the saved file differs from the fix's edits at line ${i + 1}:\n  want: ${exp[i]}\n  got:  ${got[i]}`);
    });
    log(`      line ${e0.line} now: ${want.split('\n')[e0.line - 1].slice(0, 140)}…`);
  }, { requires: [opened] });
}

function tailFile(file, n) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.slice(-n).join('\n');
  } catch {
    return '(unreadable)';
  }
}

function findLogs(dir, re, acc = []) {
  let ents = [];
  try {
    ents = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return acc;
  }
  for (const e of ents) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findLogs(p, re, acc);
    else if (re.test(e.name)) acc.push(p);
  }
  return acc;
}

let crashed = null;
try {
  await main();
} catch (e) {
  crashed = e;
  console.log(`FAIL  harness: ${e.stack || e}`);
}
await context?.close().catch(() => {});

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (crashed ? 1 : 0);
if (failed) {
  if (consoleErrors.length) {
    console.log('----- browser console errors (last 15) -----');
    console.log(consoleErrors.slice(-15).join('\n'));
  }
  for (const f of findLogs(path.join(TMP, 'user-data', 'logs'), /(Copydesk|exthost|remoteexthost)\.log$/)) {
    console.log(`----- ${path.relative(TMP, f)} (last 60 lines) -----`);
    console.log(tailFile(f, 60));
  }
  if (LOG) {
    console.log(`----- code-server log (last 120 lines) -----`);
    console.log(tailFile(LOG, 120));
  }
  console.log('----- end of logs -----');
}
console.log(`vscode-e2e finished in ${secs()} s`);
fs.writeFileSync(path.join(TMP, 'summary-printed'), '');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
