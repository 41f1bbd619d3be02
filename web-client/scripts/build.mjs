// Builds the SDK (ESM + browser global + type definitions) and copies the softphone page into
// target/classes/META-INF/resources, where the edge serves it from the web-client jar.
// Prints the bundle size (gzip) against JsSIP alone.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target/classes/META-INF/resources');
const sdkOut = join(out, 'sdk');
rmSync(out, { recursive: true, force: true });
mkdirSync(sdkOut, { recursive: true });

const common = {
  entryPoints: [join(root, 'src/index.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  platform: 'browser',
  legalComments: 'linked',
  logLevel: 'warning',
};
await build({ ...common, format: 'esm', outfile: join(sdkOut, 'webcall.esm.js') });
await build({ ...common, format: 'iife', globalName: 'Webcall', outfile: join(sdkOut, 'webcall.js') });

// Type definitions: tsc checks the whole SDK strictly and emits the .d.ts tree.
const tsc = join(root, 'node_modules/typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
cpSync(join(root, 'target/types'), join(sdkOut, 'types'), { recursive: true });
writeFileSync(join(sdkOut, 'webcall.d.ts'), "export * from './types/index';\n");

// The page (static HTML/CSS/JS, manifest, service worker, icons).
cpSync(join(root, 'src/page'), out, { recursive: true });

// Size report: our bundle vs JsSIP alone, both minified the same way.
const jssipOnly = await build({
  stdin: { contents: "export * from 'jssip';", resolveDir: root, loader: 'js' },
  bundle: true, minify: true, format: 'esm', target: ['es2020'], platform: 'browser', write: false, logLevel: 'warning',
});
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const sdkBytes = readFileSync(join(sdkOut, 'webcall.esm.js'));
const jssipBytes = jssipOnly.outputFiles[0].contents;
const kb = (n) => (n / 1024).toFixed(1);
const overhead = gz(sdkBytes) - gz(jssipBytes);
const report = {
  sdkMinified: sdkBytes.length,
  sdkGzip: gz(sdkBytes),
  jssipMinified: jssipBytes.length,
  jssipGzip: gz(jssipBytes),
  overheadGzip: overhead,
  targetOverheadGzip: 15 * 1024,
};
writeFileSync(join(root, 'target/bundle-size.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`webcall.esm.js: ${kb(report.sdkMinified)} KB minified, ${kb(report.sdkGzip)} KB gzip`);
console.log(`JsSIP 3.13 alone: ${kb(report.jssipMinified)} KB minified, ${kb(report.jssipGzip)} KB gzip`);
console.log(`SDK over JsSIP: ${kb(overhead)} KB gzip (target <= 15.0 KB) -> ${overhead <= report.targetOverheadGzip ? 'within target' : 'OVER TARGET'}`);
console.log(`page + bundles written to ${out} (${readdirSync(out).length} entries)`);
