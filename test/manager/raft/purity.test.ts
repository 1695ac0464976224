import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The core is a pure state machine: no I/O, timers, clock or randomness of its own may creep in. */
const CORE = fileURLToPath(new URL('../../../packages/manager/src/raft/core/', import.meta.url));
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from\s+'(node:[^']*|fs|net|dgram|child_process|level|@grpc\/[^']*)'/, 'an I/O import'],
  [/\bimport\s*\(/, 'a dynamic import'],
  [/\bDate\b/, 'the clock'],
  [/\bperformance\b/, 'the clock'],
  [/Math\.random/, 'its own randomness'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask|process)\b/, 'timers or the process'],
  [/\b(async|await)\b/, 'asynchrony'],
];

describe('raft core purity', () => {
  const files = readdirSync(CORE).filter((f) => f.endsWith('.ts'));

  it('has its files', () => {
    expect(files).toContain('raft.ts');
  });

  for (const file of files) {
    it(`${file} uses no I/O, clock, timers or randomness`, () => {
      const source = readFileSync(CORE + file, 'utf8');
      for (const [pattern, what] of FORBIDDEN) {
        expect(pattern.test(source), `${file} uses ${what}: ${pattern}`).toBe(false);
      }
    });
  }
});
