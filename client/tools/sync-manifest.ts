// Copies what package.json declares on the protocol's behalf (setting defaults, semantic token types and their
// scopes) from server/src/protocol.ts into the manifest, so the two cannot drift; test/client/manifest.test.ts
// fails when they have. Run: node --import tsx client/tools/sync-manifest.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, SEMANTIC_TOKEN_DECLARATIONS, SETTINGS_SECTION } from '../../server/src/protocol';

const file = new URL('../../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const c = pkg.contributes;
for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
  const prop = c.configuration.properties[`${SETTINGS_SECTION}.${key}`];
  if (!prop) throw new Error(`package.json has no setting ${SETTINGS_SECTION}.${key}: add it with a description first`);
  prop.default = value;
}
c.semanticTokenTypes = SEMANTIC_TOKEN_DECLARATIONS.map(({ id, superType, description }) => ({ id, superType, description }));
c.semanticTokenScopes = [{ scopes: Object.fromEntries(SEMANTIC_TOKEN_DECLARATIONS.map((d) => [d.id, d.scopes])) }];
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
console.log('package.json: settings defaults and semantic tokens synced from server/src/protocol.ts');
