// Makes the built CLI (package.json "bin") executable. npm sets the bit when it installs the package, but not
// when npx reuses an install of this directory from its cache after a rebuild (tsc writes files as 0644); then
// `npx shendu` fails with "Permission denied". Run by `npm run build` after tsc.
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) chmodSync(join(root, file), 0o755);
