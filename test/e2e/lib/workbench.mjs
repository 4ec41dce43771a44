// Driving VS Code's web workbench (code-server 4.100 = VS Code 1.100) through playwright-core: the selectors and the
// small interactions the e2e test needs. Everything waits on what the workbench shows, never on a fixed sleep
// (the only sleeps are short pauses for animations before screenshots and between scroll steps).
import { sleep } from './util.mjs';

const QI = '.quick-input-widget';
const QI_INPUT = `${QI} .quick-input-box input`;
const QI_ROWS = `${QI} .quick-input-list .monaco-list-row`;
export const HOVER = '.monaco-hover:not(.workbench-hover):not(.hidden) .monaco-hover-content';

export async function waitFor(what, fn, timeout, every = 200) {
  const t = Date.now();
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { if (e.fatal) throw e; last = undefined; }
    if (last) return last;
    if (Date.now() - t > timeout) throw new Error(`timed out after ${(timeout / 1000).toFixed(0)} s waiting for ${what}`);
    await sleep(every);
  }
}

export async function openQuickInput(page, key, prefix) {
  await page.keyboard.press('Escape');
  await page.keyboard.press(key);
  const input = page.locator(QI_INPUT);
  await input.waitFor({ state: 'visible', timeout: 15000 });
  if (prefix !== undefined) await waitFor(`quick input prefix "${prefix}"`, async () => (await input.inputValue()) === prefix, 5000, 50);
  return input;
}

/**
 * Runs a command-palette entry whose label matches `title` (a string: exact title with or without "Category: ";
 * or a RegExp over the whole label). `typed` is what gets typed to filter the palette.
 */
export async function runPaletteCommand(page, title, typed = typeof title === 'string' ? title : undefined) {
  await openQuickInput(page, 'Control+Shift+P', '>');
  await page.keyboard.type(typed);
  const matches = typeof title === 'string'
    ? (l) => { const s = (l || '').toLowerCase().trim(); const w = title.toLowerCase(); return s === w || s.endsWith(`: ${w}`); }
    : (l) => title.test(l || '');
  let candidates = [];
  const index = await waitFor(`command ${title} in the palette`, async () => {
    candidates = await page.locator(QI_ROWS).evaluateAll((rs) => rs.map((r) => r.querySelector('.label-name')?.textContent?.trim() ?? r.getAttribute('aria-label')));
    const i = candidates.findIndex(matches);
    return i >= 0 ? i + 1 : false;
  }, 10000).catch(() => { throw new Error(`command ${title} not in the palette; it offered ${JSON.stringify(candidates.slice(0, 10))}`); });
  await page.locator(QI_ROWS).nth(index - 1).click();
  await page.locator(QI).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

/**
 * Opens a file: clicks its tab when it is already open, else Quick Open (Ctrl+P) and a click on the row of that
 * file (not Enter: the list may still show an older first row while it filters). Waits for its active tab.
 */
export async function openFile(page, rel) {
  const name = rel.split('/').pop();
  const activeName = () => page.locator('.tabs-container .tab.active .label-name').first().textContent().catch(() => '');
  const tab = page.locator('.tabs-container .tab').filter({ has: page.locator('.label-name', { hasText: name }) }).first();
  if (await tab.isVisible().catch(() => false)) {
    await tab.click();
  } else {
    await openQuickInput(page, 'Control+P');
    await page.keyboard.type(rel);
    const row = page.locator(QI_ROWS).filter({ has: page.locator('.label-name', { hasText: name }) }).first();
    await row.waitFor({ state: 'visible', timeout: 30000 });
    await row.click();
  }
  await waitFor(`editor tab for ${name}`, async () => (await activeName()) === name, 30000);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

export async function statusBarSelection(page) {
  return (await page.locator('#status\\.editor\\.selection').innerText().catch(() => '')).trim();
}

/** Puts the cursor at 1-based line/col with Go to Line (Ctrl+G) and checks the status bar says so. */
export async function gotoPosition(page, line, col) {
  await openQuickInput(page, 'Control+G', ':');
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator(QI).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  const want = `Ln ${line}, Col ${col}`;
  let s = '';
  await waitFor(`status bar "${want}"`, async () => (s = await statusBarSelection(page)).startsWith(want), 10000)
    .catch((e) => { throw new Error(`${e.message} (it shows ${JSON.stringify(s)})`); });
}

/**
 * Shows the hover at the cursor (Ctrl+K Ctrl+I) until its text satisfies `accept` (the server may still be
 * starting: empty, "Loading..." or a card without the entity yet); returns the last text seen.
 */
export async function hoverUntil(page, accept, timeout) {
  const t = Date.now();
  let text = '';
  let attempts = 0;
  while (Date.now() - t < timeout) {
    attempts++;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    text = await waitFor('hover', async () => {
      const s = (await page.locator(HOVER).first().innerText({ timeout: 200 }).catch(() => '')).trim();
      return s && s !== 'Loading...' ? s : false;
    }, 3000, 50).catch(() => '');
    if (text && accept(text)) return { text, attempts, ok: true };
    await sleep(500);
  }
  return { text, attempts, ok: false };
}

export async function notifications(page) {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []);
}

/** The sidebar pane whose header's aria-label matches `re` (Outline, References, Corpus ...). */
export function paneLocator(page, re) {
  return page.locator('.part.sidebar .pane, .part.auxiliarybar .pane, .part.panel .pane').filter({
    has: page.locator('.pane-header').filter({ has: page.locator('h3.title'), hasText: re }),
  });
}

/** Collapses every expanded pane header in the sidebar except those matching `keep`, to give the kept one room. */
export async function collapseOtherPanes(page, keep) {
  const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]');
  const n = await headers.count();
  for (let i = n - 1; i >= 0; i--) {
    const h = headers.nth(i);
    const title = (await h.locator('h3.title').textContent().catch(() => '')) ?? '';
    if (!keep.test(title)) await h.click().catch(() => {});
  }
}

/** Scrolls the (virtualised) list in `pane` to its top: wheel up until the row with data-index 0 is rendered. */
export async function scrollTreeToTop(page, pane) {
  const list = pane.locator('.monaco-list').first();
  for (let i = 0; i < 40; i++) {
    const indexes = await pane.locator(ROWS).evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-index'))));
    if (indexes.length === 0 || indexes.includes(0)) return;
    const box = await list.boundingBox();
    if (!box) return;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -box.height * 3);
    await sleep(120);
  }
}

// Real rows only: trees also render "sticky" copies of ancestor rows above the list.
const ROWS = '.monaco-list-rows > .monaco-list-row';

/**
 * Every row of a (virtualised) tree inside `pane`, scrolling through it: [{ index, level, label, description,
 * aria, expanded, highlights }]. With `expand`, rows whose label matches it and that are collapsed get expanded.
 */
export async function treeRows(page, pane, { expand, collapse, maxRounds = 150, scroll = true } = {}) {
  const list = pane.locator('.monaco-list').first();
  await list.waitFor({ state: 'visible', timeout: 10000 });
  const rows = pane.locator(ROWS);
  const items = new Map();
  if (scroll) await scrollTreeToTop(page, pane);
  let stable = 0;
  for (let round = 0; round < maxRounds; round++) {
    const batch = await rows.evaluateAll((rs) => rs.map((r) => ({
      index: Number(r.getAttribute('data-index')),
      level: Number(r.getAttribute('aria-level')),
      expanded: r.getAttribute('aria-expanded'),
      aria: r.getAttribute('aria-label') ?? '',
      label: (r.querySelector('.label-name') ?? r.querySelector('.monaco-highlighted-label'))?.textContent ?? r.innerText,
      description: r.querySelector('.label-description')?.textContent ?? '',
      highlights: [...r.querySelectorAll('.highlight')].map((h) => h.textContent),
    })));
    const toggle = batch.find((b) => (expand && b.expanded === 'false' && expand.test(b.label)) || (collapse && b.expanded === 'true' && collapse.test(b.label)));
    if (toggle) {
      await pane.locator(`${ROWS}[data-index="${toggle.index}"] .monaco-tl-twistie`).click().catch(() => {});
      await sleep(250);
      items.clear(); stable = 0;
      if (scroll) await scrollTreeToTop(page, pane);
      continue;
    }
    const before = items.size;
    for (const b of batch) items.set(b.index, b);
    if (items.size === before) { if (++stable >= 2) break; } else stable = 0;
    if (!scroll) break;
    const box = await list.boundingBox();
    if (!box) break;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, box.height * 0.7);
    await sleep(150);
  }
  return [...items.values()].sort((a, b) => a.index - b.index);
}

/** The selected (or focused) row of the tree in `pane`. */
export async function selectedRow(page, pane) {
  return pane.locator(`${ROWS}.selected, ${ROWS}.focused`).first().evaluate((r) => ({
    label: (r.querySelector('.label-name') ?? r.querySelector('.monaco-highlighted-label'))?.textContent ?? r.innerText,
    description: r.querySelector('.label-description')?.textContent ?? '',
  })).catch(() => undefined);
}

/** What VS Code's References side view shows: its message ("32 results in 4 files") and rows. */
export async function referencesView(page) {
  const pane = paneLocator(page, /references/i).first();
  if (!(await pane.isVisible().catch(() => false))) return undefined;
  const message = (await pane.locator('.message').first().innerText().catch(() => '')).trim();
  return { pane, message };
}
