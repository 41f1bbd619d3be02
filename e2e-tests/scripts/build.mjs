// Bundles SIP.js 0.21 into one browser script (global `SIP`) that the interoperability test
// injects into a page.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  stdin: { contents: "export * from 'sip.js';", resolveDir: root, loader: 'js' },
  bundle: true,
  format: 'iife',
  globalName: 'SIP',
  platform: 'browser',
  target: ['es2020'],
  outfile: join(root, 'target/sipjs.js'),
  logLevel: 'warning',
});
console.log('SIP.js browser bundle written to target/sipjs.js');
