/** The README's "Command line (truvalidate)" section matches the command: every command, its arguments and options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../lib/cli/commands';
import { targetArgName } from '../../lib/cli/commands/types';
import { ROOT } from './helpers';

test('the README section follows "The emulator" and lists every command with its arguments and options', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.equal(headings[headings.indexOf('The emulator') + 1], 'Command line (truvalidate)');
  const start = readme.indexOf('## Command line (truvalidate)\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  for (const c of COMMANDS) {
    const usage = [c.name, targetArgName(c), ...c.args].join(' ');
    assert.ok(section.includes(`| \`${usage}`), usage);
    for (const [name, o] of Object.entries(c.options)) {
      const flag = o.type === 'string' ? `--${name} ${o.value ?? ''}`.trim() : `--${name}`;
      assert.ok(section.includes(c.name === 'device-link' ? `[${flag}]` : `\`${flag}\``), `${c.name} ${flag}`);
    }
  }
  for (const code of [0, 1, 2, 3]) assert.match(section, new RegExp(`^\\| ${code} \\| `, 'm'));
  assert.ok(section.includes('npx truvalidate --credentials $C service authorize alice'));
});
