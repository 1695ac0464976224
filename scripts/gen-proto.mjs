// Regenerates packages/api/src/generated from proto/. CI runs it with --check to prove the committed types are current.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, cpSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'packages/api/src/generated');
const check = process.argv.includes('--check');
const out = mkdtempSync(join(tmpdir(), 'shoal-gen-'));
const protos = readdirSync(join(root, 'proto/shoal/v1')).map((f) => `shoal/v1/${f}`);
try {
  execFileSync(join(root, 'node_modules/.bin/proto-loader-gen-types'), [
    '--longs=Number', '--enums=String', '--defaults', '--objects', '--arrays', '--oneofs',
    '--grpcLib=@grpc/grpc-js', '--inputTemplate=%sInput', '--outputTemplate=%s',
    '-I', join(root, 'proto'), '-O', out, ...protos,
  ], { stdio: 'inherit' });
  tidy(out);
  if (check) {
    const diff = compare(out, target);
    if (diff.length) { console.error(`generated types are stale (${diff.join(', ')}): run npm run gen`); process.exit(1); }
    console.log('generated types are current');
  } else {
    rmSync(target, { recursive: true, force: true });
    cpSync(out, target, { recursive: true });
  }
} finally { rmSync(out, { recursive: true, force: true }); }

// Makes the output portable and strict: relative paths, ESM import extensions, and message fields of
// output types non-null (the loader runs with objects: true, so decoded messages always carry them).
function tidy(dir) {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) { tidy(p); continue; }
    let text = readFileSync(p, 'utf8')
      .replace(/^\/\/ Original file: .*\/proto\//m, '// Original file: proto/')
      .replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.js'");
    text = text.replace(/(export interface (\w+) \{[\s\S]*?\n\})/g, (block, _b, name) =>
      name.endsWith('Input') ? block : block.replace(/ \| null\)/g, ')'));
    writeFileSync(p, text);
  }
}

function compare(a, b, rel = '') {
  const diffs = [];
  let names;
  try { names = new Set([...readdirSync(join(a, rel)), ...readdirSync(join(b, rel))]); } catch { return [rel || '.']; }
  for (const n of names) {
    const pa = join(a, rel, n), pb = join(b, rel, n);
    let sa, sb;
    try { sa = statSync(pa); sb = statSync(pb); } catch { diffs.push(join(rel, n)); continue; }
    if (sa.isDirectory()) diffs.push(...compare(a, b, join(rel, n)));
    else if (!readFileSync(pa).equals(readFileSync(pb))) diffs.push(join(rel, n));
  }
  return diffs;
}
