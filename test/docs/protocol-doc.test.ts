/**
 * docs/protocol.md is the reference the code cites: every `§` a source file cites must be a heading (or an `OP-N` row)
 * of it, every code path it names must exist, no source file may cite or read the specs outside the repository, and
 * its Appendix A must name every class, error and constant that test/sdk-surface/spec-tables.ts expects the SDK to
 * export.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './doc-examples';
import {
  API_ERRORS,
  CONSTANTS,
  EXPORTED_CLASSES,
  NON_API_ERRORS,
  TS_ADDED_API_ERRORS,
} from '../sdk-surface/spec-tables';

/** The folders whose files may cite the docs. */
const SOURCE_DIRS = ['lib', 'test', 'example-app', 'bench', 'scripts'];
const SOURCE_FILE = /\.(ts|js|mjs|cjs|html)$/;
const THIS_FILE = relative(ROOT, __filename);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(rel));
    } else if (SOURCE_FILE.test(entry.name) && rel !== THIS_FILE) out.push(rel);
  }
  return out;
}

const protocolDoc = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8');

/** Section ids of docs/protocol.md (`3.2`, `A2.6`, `B12.5`, `A`, …) and the `OP-N` rows of §13. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,4} (?:Appendix )?([AB]?\d+(?:\.\d+)*|[AB])\.? /.exec(line);
    if (heading) anchors.add(heading[1] as string);
    const op = /^\| (OP-\d+) \|/.exec(line);
    if (op) anchors.add(op[1] as string);
  }
  return anchors;
}

/** The text of the part of docs/protocol.md from `heading` to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `docs/protocol.md has the heading ${heading}`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = markdown.slice(start + heading.length + 1);
  const next = new RegExp(`\\n#{1,${level}} `).exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

const files = SOURCE_DIRS.flatMap(sourceFiles);

describe('docs/protocol.md as the cited reference', () => {
  const anchors = anchorsOf(protocolDoc);

  test('the numbering follows the wire protocol (§1 to §13), then Appendix A and Appendix B', () => {
    for (const id of [
      '1.1',
      '3.2',
      '4.3',
      '6.3',
      '6.5',
      '8.2',
      '10.4',
      '11.5',
      '13',
      'A',
      'A2.6',
      'A6',
      'A8',
      'B',
      'B12.6',
    ]) {
      assert.ok(anchors.has(id), `§${id} exists`);
    }
    for (let n = 1; n <= 29; n++) assert.ok(anchors.has(`OP-${n}`), `§13 has the row OP-${n}`);
  });

  test('every § a source file cites is a section of docs/protocol.md', () => {
    const dangling: string[] = [];
    let cited = 0;
    for (const file of files) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/§ ?([AB]?\d+(?:\.\d+)*)/g)) {
            cited++;
            if (!anchors.has(m[1] as string)) dangling.push(`${file}:${i + 1}: §${m[1]}`);
          }
          for (const m of line.matchAll(/§13 (OP-\d+)/g))
            if (!anchors.has(m[1] as string)) dangling.push(`${file}:${i + 1}: ${m[1]}`);
        });
    }
    assert.ok(cited > 150, `the sources cite docs/protocol.md (${cited} § references found)`);
    assert.deepEqual(dangling, []);
  });

  test('every file or folder of the repository that docs/protocol.md points to exists', () => {
    const paths = [...protocolDoc.matchAll(/`((?:lib|test|docs|example-app|bench|scripts)\/[\w./-]+)`/g)].map(
      (m) => m[1] as string,
    );
    assert.ok(paths.length > 30, `docs/protocol.md points into the code (${paths.length} paths)`);
    assert.deepEqual(
      paths.filter((p) => !existsSync(join(ROOT, p))),
      [],
    );
  });

  test('no source file cites or reads the specs outside the repository', () => {
    const outside: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const withoutOwn = line.replace(/docs\/(protocol|emulator|sdk)\.md/g, '');
          const outsideRef = /\/work\/shared|spec\/(protocol|sdk-api|api-behaviour)\.md/;
          const bareSpecName = /(?<![\w/.-])(protocol|sdk-api|api-behaviour|design)\.md/;
          if (outsideRef.test(withoutOwn) || bareSpecName.test(withoutOwn)) {
            outside.push(`${file}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    assert.deepEqual(outside, []);
  });
});

describe('Appendix A names the SDK surface that spec-tables.ts expects', () => {
  const appendixA = section(protocolDoc, '## Appendix A.');

  test('every class exported from the package root', () => {
    const missing = EXPORTED_CLASSES.filter((name) => !new RegExp(`\\b${name}\\b`).test(appendixA));
    assert.deepEqual(missing, []);
  });

  test('every error class, in §A5', () => {
    const a5 = section(protocolDoc, '### A5. Exceptions');
    const names = [...Object.keys(NON_API_ERRORS), ...Object.keys(API_ERRORS), ...Object.keys(TS_ADDED_API_ERRORS)];
    assert.deepEqual(
      names.filter((name) => !new RegExp(`\\b${name}\\b`).test(a5)),
      [],
    );
  });

  test('every exported constant, in §A1.5', () => {
    const a15 = section(protocolDoc, '#### A1.5 Transport contract used by clients');
    assert.deepEqual(
      Object.keys(CONSTANTS).filter((name) => !a15.includes(`\`${name}\``)),
      [],
    );
  });

  test('every API error code maps to its class in the table of §8.2', () => {
    const rows = section(protocolDoc, '### 8.2 API error codes → SDK exceptions').split('\n');
    for (const [name, { apiCode }] of Object.entries(API_ERRORS)) {
      if (apiCode === undefined) continue;
      const row = rows.find((line) => line.startsWith(`| \`${apiCode}\` |`));
      assert.ok(row, `§8.2 has a row for ${apiCode}`);
      assert.equal(row.split('|')[2]?.trim(), `\`${name}\``, `§8.2 maps ${apiCode} to ${name}`);
    }
  });
});
