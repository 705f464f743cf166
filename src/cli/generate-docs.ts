// `npm run docs`: write the rule catalogue to docs/rules/.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULES } from '../../rules/index.js';
import { packageRoot } from '../engine/package-root.js';
import { catalogueRules } from './engine-rules.js';
import { renderCatalogue } from './catalogue.js';

const root = packageRoot();
const files = renderCatalogue(catalogueRules(RULES));
const dir = join(root, 'docs/rules');
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (!files.has(`docs/rules/${name}`)) rmSync(join(dir, name));
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
console.log(`wrote ${files.size} files to docs/rules/`);
