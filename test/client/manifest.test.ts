// The manifest (package.json "contributes" and friends) against the code that relies on it: the protocol's token
// legend and setting defaults, the command ids the client registers, the view id, the files it points at, and the
// quotation grammar's patterns.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, SEMANTIC_TOKEN_DECLARATIONS, SEMANTIC_TOKEN_TYPES, SETTINGS_SECTION } from '../../server/src/protocol';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');
const pkg = JSON.parse(read('package.json'));
const c = pkg.contributes;

describe('manifest', () => {
  it('has what the marketplace and vsce need', () => {
    for (const k of ['name', 'displayName', 'description', 'version', 'publisher', 'license', 'icon', 'categories', 'keywords', 'main'])
      assert.ok(pkg[k], `package.json lacks ${k}`);
    assert.equal(pkg.main, './dist/client.js');
    assert.ok(pkg.activationEvents.includes('onLanguage:plaintext'));
    assert.ok(existsSync(new URL('LICENSE', root)) && existsSync(new URL('CHANGELOG.md', root)));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description.length > 40);
  });

  it('points at a real 128x128 PNG icon and an SVG for the activity bar', () => {
    const png = readFileSync(new URL(pkg.icon, root));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    for (const container of c.viewsContainers.activitybar) assert.match(read(container.icon), /^<svg[\s>]/);
  });

  it('contributes the Corpus view the client registers, in its own container', () => {
    const viewId = /CORPUS_VIEW_ID = '([^']+)'/.exec(read('client/src/corpusView.ts'))?.[1];
    const [container] = c.viewsContainers.activitybar;
    assert.deepEqual(c.views[container.id].map((v: { id: string }) => v.id), [viewId]);
    assert.ok(c.viewsWelcome.some((w: { view: string }) => w.view === viewId));
    // The status bar's click target is the container's generated command.
    assert.match(read('client/src/extension.ts'), new RegExp(`workbench\\.view\\.extension\\.${container.id}\\b`));
  });

  it('declares every command the client registers, with the titles the editor tests look for', () => {
    const src = read('client/src/commands.ts');
    const registered = [...src.matchAll(/^\s+\w+: '(corpusNavigator\.\w+)',$/gm)].map((m) => m[1]);
    assert.ok(registered.length >= 3);
    const declared = new Map(c.commands.map((cmd: { command: string; title: string; category: string }) => [cmd.command, cmd]));
    for (const id of registered) assert.ok(declared.has(id), `${id} is registered but not in contributes.commands`);
    const find = declared.get('corpusNavigator.findAllMentions') as { title: string; category: string };
    assert.equal(`${find.category}: ${find.title}`, 'Corpus Navigator: Find All Mentions');
    for (const cmd of declared.values()) assert.equal((cmd as { category: string }).category, 'Corpus Navigator');
    const used = [...Object.values(c.menus).flat(), ...c.keybindings].map((m) => (m as { command: string }).command);
    for (const id of used) assert.ok(declared.has(id), `${id} is used in a menu or keybinding but not declared`);
    assert.ok(c.menus['editor/context'].some((m: { command: string }) => m.command === 'corpusNavigator.findAllMentions'));
    assert.ok(c.keybindings.some((k: { command: string; key: string }) => k.command === 'corpusNavigator.findAllMentions' && k.key));
  });

  it('declares the settings the server reads, with the protocol defaults and descriptions', () => {
    const props = c.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      const prop = props[`${SETTINGS_SECTION}.${key}`];
      assert.ok(prop, `setting ${key} is not contributed`);
      assert.deepEqual(prop.default, value, `default of ${key} (run: node --import tsx client/tools/sync-manifest.ts)`);
    }
    assert.ok(props[`${SETTINGS_SECTION}.trace.server`]);
    for (const [key, prop] of Object.entries(props) as [string, { description?: string; markdownDescription?: string }][])
      assert.ok((prop.description ?? prop.markdownDescription ?? '').length > 20, `${key} needs a description`);
    for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(props[key], key);
  });

  it('declares the semantic token types of the protocol legend, with their scopes', () => {
    assert.deepEqual(c.semanticTokenTypes.map((t: { id: string }) => t.id), [...SEMANTIC_TOKEN_TYPES]);
    for (const d of SEMANTIC_TOKEN_DECLARATIONS) {
      const t = c.semanticTokenTypes.find((x: { id: string }) => x.id === d.id);
      assert.equal(t.superType, d.superType);
      assert.deepEqual(c.semanticTokenScopes[0].scopes[d.id], d.scopes);
    }
  });

  it('ships what the VSIX needs and leaves sources out (.vscodeignore)', () => {
    const lines = read('.vscodeignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    for (const keep of ['!dist/client.js', '!dist/server.js', '!client/media/icon.png', '!server/sample-corpus/**', '!LICENSE'])
      assert.ok(lines.includes(keep), keep);
    for (const g of c.grammars) assert.ok(lines.includes(`!${g.path.replace(/^\.\//, '').replace(/[^/]+$/, '*.json')}`), g.path);
  });
});

describe('quotation grammar', () => {
  const injection = c.grammars.find((g: { injectTo?: string[] }) => g.injectTo);
  const grammar = JSON.parse(read(injection.path));
  const base = c.grammars.find((g: { language?: string }) => g.language === 'plaintext');

  it('is injected into plain text (which gets a base grammar) and Markdown, outside code', () => {
    assert.deepEqual(injection.injectTo, ['text.plain', 'text.html.markdown']);
    assert.equal(JSON.parse(read(base.path)).scopeName, 'text.plain');
    assert.equal(grammar.scopeName, injection.scopeName);
    assert.match(grammar.injectionSelector, /L:text\.plain/);
    assert.match(grammar.injectionSelector, /L:text\.html\.markdown -markup\.fenced_code -markup\.inline\.raw/);
  });

  // Oniguruma and JavaScript agree on the constructs these patterns use (classes, \p{L}, look-around).
  const patterns = Object.fromEntries(
    Object.entries(grammar.repository as Record<string, { match: string; name: string }>).map(([k, v]) => [k, new RegExp(v.match, 'gu')]),
  );
  const matches = (name: string, text: string) => [...text.matchAll(patterns[name])].map((m) => m[0]);

  it('marks curly, straight and single curly quotations, not apostrophes or inch marks', () => {
    assert.deepEqual(matches('curly-double', 'He said: “We will win” and “more”.'), ['“We will win”', '“more”']);
    assert.deepEqual(matches('curly-double', '“A quotation that goes on in the next paragraph'), ['“A quotation that goes on in the next paragraph']);
    assert.deepEqual(matches('straight-double', 'She said "no way" about the 5" pipe'), ['"no way"']);
    assert.deepEqual(matches('straight-double', '"Start of line," she said'), ['"Start of line,"']);
    assert.deepEqual(matches('curly-single', 'a ‘partial quote’ in Stone’s ‘don’t go’ speech'), ['‘partial quote’', '‘don’t go’']);
    assert.deepEqual(matches('curly-single', 'Stone’s view and rock ’n’ roll'), []);
    for (const v of Object.values(grammar.repository as Record<string, { name: string }>)) assert.match(v.name, /^string\.quoted\./);
  });

  it('matches in time linear in the line, also on unbalanced marks', () => {
    const nasty = ['“', '"', ' "', '‘', '‘a’b'].map((unit) => unit.repeat(20_000));
    const t0 = performance.now();
    for (const re of Object.values(patterns)) for (const line of nasty) [...line.matchAll(re)];
    assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  });
});
