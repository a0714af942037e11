/**
 * The code blocks of the SDK documentation and the files they come from.
 *
 * A TypeScript example in the docs is the whole of a file under `test/docs/examples/`, which `tsc`, eslint and
 * `test/docs/sdk-examples.test.ts` check. In the markdown it is written as
 *
 *     <!-- example: test/docs/examples/quick-start.ts -->
 *     ```ts
 *     ...the file, verbatim...
 *     ```
 *
 * and a shell block that the test runs (with `bash`, variables from the environment) as
 *
 *     <!-- shell: approve -->
 *     ```sh
 *     curl ...
 *     ```
 *
 * After editing an example file, refresh the markdown with
 * `node --import tsx test/docs/doc-examples.ts --write` (rewrites the example blocks of every doc file that has them).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
/** Where the example files live (relative to the root). */
export const EXAMPLES_DIR = 'test/docs/examples';
/** The markdown files that may carry the SDK documentation: docs/sdk.md, and README.md once it is merged there. */
export const DOC_FILES = ['docs/sdk.md', 'README.md'];

/** A fenced block announced by a marker comment. */
export interface MarkedBlock {
  /** `example` (a TypeScript file) or `shell`. */
  kind: 'example' | 'shell';
  /** The example file path (relative to the root) or the shell block name. */
  name: string;
  /** The block's text, without the fences, ending with a newline. */
  content: string;
  /** The markdown file it was found in. */
  doc: string;
}

const BLOCK = /<!-- (example|shell): (\S+) -->\r?\n```(ts|sh)\r?\n([\s\S]*?)^```[ \t]*$/gm;

/** The marked blocks of one markdown text. */
export function markedBlocks(markdown: string, doc: string): MarkedBlock[] {
  const out: MarkedBlock[] = [];
  for (const m of markdown.matchAll(BLOCK)) {
    const kind = m[1] as 'example' | 'shell';
    const lang = m[3] as string;
    if ((kind === 'example') !== (lang === 'ts'))
      throw new Error(`${doc}: a ${kind} block must be fenced as ${kind === 'example' ? 'ts' : 'sh'}`);
    out.push({ kind, name: m[2] as string, content: m[4] as string, doc });
  }
  return out;
}

/** The doc files that exist and carry at least one marked block, with their text. */
export function docsWithBlocks(): Array<{ doc: string; text: string }> {
  return DOC_FILES.filter((doc) => existsSync(join(ROOT, doc)))
    .map((doc) => ({ doc, text: readFileSync(join(ROOT, doc), 'utf8') }))
    .filter(({ doc, text }) => markedBlocks(text, doc).length > 0);
}

/** Every marked block of every doc file. */
export function allBlocks(): MarkedBlock[] {
  return docsWithBlocks().flatMap(({ doc, text }) => markedBlocks(text, doc));
}

/** The example files (relative to the root), sorted. */
export function exampleFiles(): string[] {
  return readdirSync(join(ROOT, EXAMPLES_DIR))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `${EXAMPLES_DIR}/${f}`);
}

/** The text of the shell block `name` (the first one found), or an error naming the docs searched. */
export function shellBlock(name: string): string {
  const block = allBlocks().find((b) => b.kind === 'shell' && b.name === name);
  if (!block) throw new Error(`no <!-- shell: ${name} --> block in ${DOC_FILES.join(' or ')}`);
  return block.content;
}

/** Replaces every example block of `markdown` with the current text of its file. */
export function syncExamples(markdown: string): string {
  return markdown.replace(BLOCK, (whole, kind: string, name: string, lang: string) => {
    if (kind !== 'example') return whole;
    const text = readFileSync(join(ROOT, name), 'utf8');
    return `<!-- example: ${name} -->\n\`\`\`${lang}\n${text.endsWith('\n') ? text : `${text}\n`}\`\`\``;
  });
}

if (require.main === module && process.argv.includes('--write')) {
  for (const { doc, text } of docsWithBlocks()) {
    const next = syncExamples(text);
    if (next !== text) {
      writeFileSync(join(ROOT, doc), next);
      console.log(`updated ${doc}`);
    }
  }
}
