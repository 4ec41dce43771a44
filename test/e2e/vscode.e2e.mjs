#!/usr/bin/env node
// The extension inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3's server + web workbench), driven by
// Debian's Chromium through playwright-core. Packages the extension, installs the VSIX into a fresh profile, opens a
// copy of the corpus and checks, as a user would see them: the hover card, Find All Mentions in the References view,
// the Outline, the Corpus view, and an unsaved edit that the Corpus view and the hover pick up without a reload.
//
//   node test/e2e/vscode.e2e.mjs [--vsix FILE] [--timeout SEC] [--keep] [--headed]
// Needs test/e2e/setup.sh to have run (E2E_HOME, default .e2e-cache). Screenshots and logs go to .e2e-out/vscode/;
// the hover card and the Corpus view are copied to client/media/screenshots/ for the README.
// Exit 0 passed, 1 a check failed, 2 cannot run (setup missing).
import fs from 'node:fs';
import path from 'node:path';
import { CodeServer, missingTools } from './lib/codeserver.mjs';
import { NEW_PERSON, ROOT, prepareCorpus } from './lib/corpus.mjs';
import { Checks, logger, packageVsix, sleep } from './lib/util.mjs';
import {
  collapseOtherPanes, gotoPosition, hoverUntil, notifications, openFile, paneLocator, referencesView,
  runPaletteCommand, scrollTreeToTop, selectedRow, statusBarSelection, treeRows, waitFor,
} from './lib/workbench.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const STEP = Number(opt('timeout', 90)) * 1000;
const keep = args.includes('--keep');
const log = logger('vscode');
const T0 = Date.now();
const OUT = path.join(ROOT, '.e2e-out', 'vscode');
const README_SHOTS = path.join(ROOT, 'client', 'media', 'screenshots');
const EXTENSION_ID = (() => { const p = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')); return `${p.publisher}.${p.name}`; })();
// "Corpus Navigator: indexing finished: … (5 files, 0 skipped, 1.0 s)": a finish with 0 files is the empty index
// before the scan started, not the end of the scan.
const READY_LINE = /indexing finished(?![^\n]*\(0 files)/i;

const c = new Checks();
const seen = { hover: null, references: null, outline: null, corpusView: null, editHover: null, corpusViewAfterEdit: null, notifications: [], readyBy: null };
const timings = {};
const screenshots = [];
let cs = null; let page = null; let tmp = null; let corpus = null;

// ------------------------------------------------------------------ process lifetime
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { c.check('run', false, `interrupted (${sig})`); finish(1); });

async function cleanup() {
  if (cs) await cs.stop(path.join(OUT, 'vscode-logs'));
  if (corpus && !keep) corpus.cleanup();
}

// ------------------------------------------------------------------ helpers
async function shot(name) {
  if (!page) return undefined;
  const f = path.join(OUT, `${String(screenshots.length + 1).padStart(2, '0')}-${name}.png`);
  try { await page.screenshot({ path: f }); screenshots.push(f); return f; } catch (e) { log(`screenshot ${name} failed: ${e.message}`); return undefined; }
}
/** The README shows the default corpus (the seeds): runs on another corpus (CORPUS=...) leave its pictures alone. */
function readmeShot(file, name) {
  if (process.env.CORPUS) return;
  fs.mkdirSync(README_SHOTS, { recursive: true });
  fs.copyFileSync(file, path.join(README_SHOTS, name));
}
function walk(dir, out = []) {
  let ents = [];
  try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of ents) { const p = path.join(dir, e.name); if (e.isDirectory()) walk(p, out); else out.push(p); }
  return out;
}
/** The extension's output (any log file under the profile's logs that mentions Corpus Navigator) and the exthost log. */
function logTexts() {
  const files = walk(path.join(tmp, 'data', 'logs'));
  const ext = files.filter((f) => /corpus/i.test(path.basename(f)) || /corpus/i.test(path.dirname(f)));
  const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch { return ''; } };
  return { ext: ext.map(read).join('\n'), exthost: files.filter((f) => /exthost\.log$/.test(f)).map(read).join('\n'), extFiles: ext };
}
function activation() {
  const { exthost } = logTexts();
  for (const line of exthost.split('\n')) {
    if (line.includes(`Activating extension ${EXTENSION_ID} failed`) || line.includes(`Activating extension '${EXTENSION_ID}' failed`)) return { ok: false, line };
    if (line.includes(`_doActivateExtension ${EXTENSION_ID},`)) return { ok: true, line };
  }
  return undefined;
}
async function statusBarItem() {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll('.part.statusbar .statusbar-item')];
    const it = items.find((e) => /corpus/i.test(e.id) || /corpus/i.test(e.getAttribute('aria-label') || ''));
    if (!it) return undefined;
    return { id: it.id, text: it.innerText.trim(), aria: it.getAttribute('aria-label') || '', spinning: !!it.querySelector('.codicon-sync, [class*="spin"]') };
  });
}

/** Runs one step; a failure is recorded (with a fail-<name> screenshot) and, when fatal, ends the run. */
async function step(name, fatal, fn) {
  const t = Date.now();
  log(`step ${name}`);
  try {
    const r = await fn();
    timings[`${name}Ms`] = Date.now() - t;
    return r;
  } catch (e) {
    timings[`${name}Ms`] = Date.now() - t;
    c.check(name, false, e.message.split('\n').slice(0, 6).join(' | '));
    await shot(`fail-${name}`);
    if (fatal) throw Object.assign(new Error(`fatal: ${name}`), { reported: true });
    return undefined;
  }
}

// ------------------------------------------------------------------ main
async function main() {
  const tools = missingTools();
  if (tools.reason) { console.error(`cannot run: ${tools.reason}`); return 2; }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  // 1. package + a fresh profile with the VSIX installed
  const vsix = await step('package', true, async () => (opt('vsix') ? path.resolve(opt('vsix')) : packageVsix()));
  log(`vsix ${vsix} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
  corpus = prepareCorpus('cn-vscode-');
  const { folder, plan } = corpus;
  log(`corpus ${corpus.source} → ${folder}`);
  cs = new CodeServer({ tools, logFile: path.join(OUT, 'code-server.log'), keep, log });
  tmp = cs.tmp;
  await step('install', true, async () => cs.installExtension(vsix, STEP));

  // 2. code-server in its own process group on 127.0.0.1, Chromium, the workbench on the corpus folder
  const tStart = Date.now();
  await step('code-server', true, () => cs.start(STEP));
  await step('workbench', true, async () => {
    page = await cs.open(folder, { timeout: STEP, headed: args.includes('--headed') });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
  });
  timings.workbenchReadyFromStartMs = Date.now() - tStart;

  // 3. open the person's file; wait for activation and for the extension to say indexing finished
  const person = plan.person;
  await step('open-file', true, () => openFile(page, person.at.file));
  await step('indexed', true, async () => {
    const t = Date.now();
    const how = await waitFor('the extension to report "indexing finished" (output channel) or a ready status bar item', async () => {
      if (cs.exit) throw Object.assign(new Error(cs.exit), { fatal: true });
      const act = activation();
      if (act && !act.ok) throw Object.assign(new Error(`activation failed: ${act.line}`), { fatal: true });
      if (READY_LINE.test(logTexts().ext)) return 'output channel';
      const sb = await statusBarItem().catch(() => undefined);
      if (sb && /\d/.test(sb.text) && !/index|sync|corpus$/i.test(sb.text) && !sb.spinning) return `status bar (${sb.text.replace(/\s+/g, ' ')})`;
      return false;
    }, STEP, 250);
    seen.readyBy = how;
    timings.indexedFromStartMs = Date.now() - tStart;
    log(`indexed: ${how} after ${Date.now() - t} ms (${timings.indexedFromStartMs} ms from code-server start)`);
  });
  seen.statusBar = await statusBarItem().catch(() => undefined);
  await shot('indexed');

  // 4. hover card on the person
  await step('hover', false, async () => {
    await gotoPosition(page, person.at.line, person.at.col);
    const h = await hoverUntil(page, (t) => person.name.test(t), 30000);
    seen.hover = h.text;
    await sleep(400); // fade-in before the screenshot
    const f = await shot('hover');
    if (f) readmeShot(f, 'hover.png');
    await page.keyboard.press('Escape');
    c.check('hover names the entity', h.ok, `hover at ${person.at.file}:${person.at.line}:${person.at.col} ("${person.at.word}") showed ${JSON.stringify(h.text)} after ${h.attempts} attempts`);
    const m = /(\d+) mentions? in (\d+) files?/.exec(h.text);
    c.check('hover gives mention and file counts', m && Number(m[2]) >= person.minFiles, `expected "N mentions in ≥ ${person.minFiles} files" in ${JSON.stringify(h.text)}`);
    c.check('hover quotes the person', /[“"‘].{3,}[”"’]/s.test(h.text), `no quotation in ${JSON.stringify(h.text)}`);
  });

  // 4b. hover on an organisation's other name (on the seeds: the acronym JLM, grouped with its long form)
  await step('hover-organisation', false, async () => {
    const org = plan.organisation;
    if (org.at.file !== person.at.file) await openFile(page, org.at.file);
    await gotoPosition(page, org.at.line, org.at.col);
    const h = await hoverUntil(page, (t) => org.hoverAll.every((re) => re.test(t)), 30000);
    seen.organisationHover = h.text;
    await sleep(300);
    await shot('hover-organisation');
    await page.keyboard.press('Escape');
    c.check('organisation hover groups its names', h.ok, `hover at ${org.at.file}:${org.at.line}:${org.at.col} ("${org.at.word}") showed ${JSON.stringify(h.text)}; expected all of ${org.hoverAll.join(' ')}`);
    if (org.at.file !== person.at.file) await openFile(page, person.at.file);
  });

  // 5. Find All Mentions → VS Code's References view lists mentions in several files, aliases included
  await step('find-all-mentions', false, async () => {
    await gotoPosition(page, person.at.line, person.at.col);
    const before = await notifications(page);
    await runPaletteCommand(page, 'Corpus Navigator: Find All Mentions');
    const rv = await waitFor('the References view to list results', async () => {
      const v = await referencesView(page);
      if (!v) return false;
      return (await v.pane.locator('.monaco-list-rows > .monaco-list-row').count()) > 0 ? v : false;
    }, 30000);
    await collapseOtherPanes(page, /references/i);
    const rows = await treeRows(page, rv.pane, { expand: /\.(txt|md)$/i });
    const fileRows = rows.filter((r) => r.level === 1);
    const refRows = rows.filter((r) => r.level === 2);
    const forms = [...new Set(refRows.flatMap((r) => r.highlights))];
    seen.references = { message: (await rv.pane.locator('.message').first().innerText().catch(() => '')).trim(), files: fileRows.map((r) => r.label), forms, rows: rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}`) };
    seen.notifications = (await notifications(page)).filter((n) => !before.includes(n));
    seen.references.statusMessage = await page.locator('.part.statusbar').innerText().then((t) => t.split('\n').find((l) => /mentions? of/.test(l)) ?? null).catch(() => null);
    await scrollTreeToTop(page, rv.pane);
    await page.mouse.move(2, 2);
    await shot('find-all-mentions');
    c.check(`References view lists mentions in ≥ ${person.minFiles} files`, fileRows.length >= person.minFiles, `files ${JSON.stringify(seen.references.files)}; message ${JSON.stringify(seen.references.message)}`);
    const aliases = person.aliasForms.filter((a) => forms.some((f) => f.includes(a)));
    c.check('References view includes an alias form', aliases.length >= 1 && forms.length >= 2, `highlighted forms ${JSON.stringify(forms)}, expected some of ${JSON.stringify(person.aliasForms)}`);
  });
  await page.keyboard.press('Escape');

  // 6. Outline of the file, then the Corpus view (People, Organisations)
  await step('outline', false, async () => {
    await runPaletteCommand(page, 'Explorer: Focus on Outline View');
    const pane = paneLocator(page, /^outline/i).first();
    await pane.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 30000 });
    await collapseOtherPanes(page, /outline/i);
    const rows = await treeRows(page, pane, { expand: /^(People|Organi[sz]ations)$/ });
    seen.outline = rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.description ? ` (${r.description})` : ''}`);
    await scrollTreeToTop(page, pane);
    await page.mouse.move(2, 2);
    await shot('outline');
    const top = rows.filter((r) => r.level === 1).map((r) => r.label);
    c.check('Outline groups People and Organisations', top.some((l) => /^People/.test(l)) && top.some((l) => /^Organi[sz]ations/.test(l)), `top-level rows ${JSON.stringify(top)}`);
    for (const re of [person.name, ...plan.outlinePeople, ...plan.outlineOrganisations]) {
      c.check(`Outline lists ${re}`, rows.some((r) => r.level >= 2 && re.test(r.label)), `rows ${JSON.stringify(seen.outline.slice(0, 40))}`);
    }
  });

  const corpusPane = () => paneLocator(page, /corpus/i).first();
  const openCorpusView = async () => {
    try { await runPaletteCommand(page, /focus on corpus/i, 'Focus on Corpus'); } catch (e) {
      const icon = page.locator('.activitybar .action-item a[aria-label*="Corpus" i]').first();
      if (!(await icon.isVisible().catch(() => false))) throw e;
      await icon.click();
    }
    await corpusPane().locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 30000 });
    await collapseOtherPanes(page, /corpus/i);
  };
  // The Corpus view's rows. The People list can be long, so by default only the first screen of each group is read
  // (entities are sorted by mention count: the expected ones are at the top): People open, then Organisations open.
  const corpusRows = async ({ all = false } = {}) => {
    const text = (r) => ({ ...r, text: `${r.label}${r.description ? ` ${r.description}` : ''}` });
    if (all) return (await treeRows(page, corpusPane(), { expand: /^(People|Organi[sz]ations)\b/ })).map(text);
    const people = await treeRows(page, corpusPane(), { expand: /^People\b/, collapse: /^Organi[sz]ations\b/, scroll: false });
    const orgs = await treeRows(page, corpusPane(), { expand: /^Organi[sz]ations\b/, collapse: /^People\b/, scroll: false });
    const firstOrg = orgs.findIndex((r) => r.level === 1 && /^Organi[sz]ations/.test(r.label));
    const peopleEnd = people.findIndex((r, i) => i > 0 && r.level === 1);
    return [...people.slice(0, peopleEnd < 0 ? undefined : peopleEnd), ...orgs.slice(firstOrg)].map(text);
  };
  const underGroup = (rows, group) => {
    const out = []; let inGroup = false;
    for (const r of rows) { if (r.level === 1) inGroup = group.test(r.label); else if (inGroup && r.level === 2) out.push(r); }
    return out;
  };
  await step('corpus-view', false, async () => {
    await openCorpusView();
    const rows = await corpusRows();
    seen.corpusView = rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.text}`);
    // the screenshot for the README: People open from the top, Organisations closed, beside the article
    await treeRows(page, corpusPane(), { expand: /^People\b/, collapse: /^Organi[sz]ations\b/, scroll: false });
    await scrollTreeToTop(page, corpusPane());
    await page.mouse.move(2, 2); // away from the text, so no hover fades in
    await sleep(300);
    const f = await shot('corpus-view');
    if (f) readmeShot(f, 'corpus-view.png');
    const people = underGroup(rows, /^People/);
    const orgs = underGroup(rows, /^Organi[sz]ations/);
    c.check('Corpus view has People and Organisations', people.length > 0 && orgs.length > 0, `rows ${JSON.stringify(seen.corpusView.slice(0, 30))}`);
    for (const re of plan.corpusPeople) c.check(`Corpus view People lists ${re}`, people.some((r) => re.test(r.label)), `people ${JSON.stringify(people.slice(0, 20).map((r) => r.text))}`);
    for (const re of plan.corpusOrganisations) c.check(`Corpus view Organisations lists ${re}`, orgs.some((r) => re.test(r.label)), `organisations ${JSON.stringify(orgs.slice(0, 20).map((r) => r.text))}`);
    c.check('Corpus view shows mention counts', people.some((r) => /\d/.test(r.description) || /\(\d+\)|\d+ mentions?/.test(r.text)), `people rows ${JSON.stringify(people.slice(0, 5).map((r) => r.text))}`);
  });

  // 7. an unsaved edit naming a new person: the Corpus view and the hover pick it up without a reload
  await step('edit', false, async () => {
    await openFile(page, person.at.file);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type(NEW_PERSON.sentence, { delay: 5 });
    // The status bar catches up with the typing a moment later: wait until it shows the cursor at the end of the
    // typed sentence, or the line read is where the cursor was before (a race seen under load).
    let sel = '';
    await waitFor('the status bar to show the end of the typed sentence', async () => {
      sel = await statusBarSelection(page);
      return Number(/Col (\d+)/.exec(sel)?.[1]) === NEW_PERSON.sentence.length + 1;
    }, 10000, 100).catch(() => {});
    const line = Number(/Ln (\d+)/.exec(sel)?.[1]);
    const col = NEW_PERSON.sentence.indexOf(NEW_PERSON.surname) + 2;
    // the hover on the new name, answered from the updated index
    await gotoPosition(page, line, col);
    const h = await hoverUntil(page, (t) => NEW_PERSON.name.test(t), 30000);
    seen.editHover = h.text;
    timings.editHoverAttempts = h.attempts;
    log(`hover after the edit: ${h.ok ? 'ok' : 'not found'} after ${h.attempts} attempt(s)`);
    await sleep(300);
    await shot('edit-hover');
    await page.keyboard.press('Escape');
    // the Corpus view: "Reveal in Corpus View" at the new name selects its row
    await openCorpusView();
    log('Corpus view open');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await gotoPosition(page, line, col);
    log('cursor on the new name');
    let revealed;
    let reveals = 0;
    await waitFor(`the Corpus view to list ${NEW_PERSON.name}`, async () => {
      reveals++;
      await runPaletteCommand(page, 'Corpus Navigator: Reveal in Corpus View');
      // the reveal is asynchronous: give the selection a moment to move before asking again
      await waitFor('the new person selected', async () => {
        revealed = await selectedRow(page, corpusPane());
        return revealed && NEW_PERSON.name.test(revealed.label);
      }, 5000, 100).catch(() => undefined);
      return revealed && NEW_PERSON.name.test(revealed.label);
    }, 30000, 500).catch(() => {});
    log(`reveal in Corpus view (${reveals} attempt(s)): ${JSON.stringify(revealed)}`);
    await sleep(300);
    await shot('edit-corpus-view');
    // the rows around the revealed one, as they are on screen
    const rows = await treeRows(page, corpusPane(), { scroll: false });
    log('visible rows read');
    seen.corpusViewAfterEdit = { revealed, visible: rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label} ${r.description}`) };
    const listed = rows.some((r) => r.level === 2 && NEW_PERSON.name.test(r.label));
    c.check('after the edit the Corpus view lists the new person', listed, `visible rows: ${JSON.stringify(seen.corpusViewAfterEdit.visible)}`);
    c.check('Reveal in Corpus View selects the new person', revealed && NEW_PERSON.name.test(revealed.label), `selected row: ${JSON.stringify(revealed)}`);
    c.check('after the edit the hover knows the new person', h.ok, `hover at line ${line} col ${col} showed ${JSON.stringify(h.text)}`);
  });
}

// ------------------------------------------------------------------ report
let finishing = false;
async function finish(code) {
  if (finishing) return; finishing = true;
  clearTimeout(globalTimer);
  const logs = tmp ? logTexts() : { ext: '', exthost: '' };
  if (page) seen.notifications = [...new Set([...(seen.notifications ?? []), ...(await notifications(page).catch(() => []))])];
  await cleanup();
  timings.totalMs = Date.now() - T0;
  const ok = code === 0 && c.ok;
  const result = { ok, checks: { passed: c.passed, failed: c.failed }, seen, timings, screenshots, corpus: corpus?.source, readmeScreenshots: [path.join(README_SHOTS, 'hover.png'), path.join(README_SHOTS, 'corpus-view.png')].filter((f) => fs.existsSync(f)) };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'result.json'), JSON.stringify(result, null, 2));
  if (ok) {
    console.error(`vscode e2e passed: ${c.passed.length} checks in ${(timings.totalMs / 1000).toFixed(1)} s; screenshots in ${OUT}`);
  } else {
    const tail = (s, n) => s.split('\n').filter(Boolean).slice(-n).join('\n');
    console.error([
      `vscode e2e FAILED (${c.failed.length} of ${c.passed.length + c.failed.length} checks):`, ...c.failed.map((f) => ` - ${f}`),
      '--- what the editor showed:',
      `hover: ${JSON.stringify(seen.hover)}`,
      `organisation hover: ${JSON.stringify(seen.organisationHover)}`,
      `status bar: ${JSON.stringify(seen.statusBar)}`,
      `references: ${JSON.stringify(seen.references)}`,
      `outline rows: ${JSON.stringify(seen.outline?.slice(0, 40))}`,
      `corpus view rows: ${JSON.stringify(seen.corpusView?.slice(0, 40))}`,
      `corpus view after edit: ${JSON.stringify(seen.corpusViewAfterEdit)}`,
      `hover after edit: ${JSON.stringify(seen.editHover)}`,
      `notifications: ${JSON.stringify(seen.notifications)}`,
      `--- extension output (tail):\n${tail(logs.ext, 25)}`,
      `--- extension host log (tail):\n${tail(logs.exthost, 15)}`,
      `--- screenshots:\n${screenshots.join('\n')}`,
      `result: ${path.join(OUT, 'result.json')}; logs: ${path.join(OUT, 'vscode-logs')}`,
    ].join('\n'));
  }
  process.exit(ok ? 0 : code || 1);
}
const globalTimer = setTimeout(() => { c.check('run', false, `global timeout (${(6 * STEP) / 1000} s)`); finish(1); }, 6 * STEP);

main().then((code) => finish(code ?? 0), (e) => {
  if (!e.reported) c.check('run', false, e.stack || e.message);
  finish(1);
});
