/**
 * Rule "comments cannot be closed" (docs/security.md, class 2), by property and judged by the real
 * readers: whatever text a header field holds (newlines, \r, NEL, U+2028/2029, form feed, `-->`, a
 * PEP 263 `coding:` cookie, lone surrogates), the comment lines written for it leave the file
 * meaning exactly what follows them, for the `yaml` package (1.1 and 1.2), bash and python3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commentLine, encodeCommentText, headerComment, readHeader, type HeaderOwner } from '@sluice/targets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const dir = mkdtempSync(join(tmpdir(), 'sluice-header-'));

/** Text built to break comments: line terminators of every language, closers, and cookies. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029', '\f', '\v', '\u000b', '-->', '*/', '\\', '\\n', '# -*- coding: utf-7 -*-', 'coding=latin-1', '+AAo-', '\ud800', '\n---\nkind: ClusterRoleBinding\n', '\nimport os; os.system("id")\n', '\necho pwned\n'),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

const batch = fc.array(hostileText, { minLength: 1, maxLength: 40 });

function run(command: string, args: string[], file: string): string {
  const result = spawnSync(command, [...args, file], { encoding: 'utf8' });
  return `${result.status}:${result.stdout}${result.stderr}`;
}

describe('comment encoders cannot be closed', () => {
  it('encoded text is one line of printable ASCII', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(encodeCommentText(text)).toMatch(/^[\x20-\x7E]*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('YAML: the yaml package (1.1 and 1.2) sees one document with only the key that follows', () => {
    fc.assert(
      fc.property(batch, (texts) => {
        const source = `${texts.map((text) => commentLine(text, 'yaml')).join('\n')}\nkey: value\n`;
        for (const version of ['1.1', '1.2'] as const) {
          const documents = parseAllDocuments(source, { version });
          if (!Array.isArray(documents)) throw new Error('expected a document list');
          expect(documents.length).toBe(1);
          expect(documents[0]?.errors).toEqual([]);
          expect(documents[0]?.toJS()).toEqual({ key: 'value' });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('bash: `bash -n` accepts the file and running it prints only what follows', () => {
    fc.assert(
      fc.property(batch, (texts) => {
        const file = join(dir, 'header.sh');
        writeFileSync(file, `${texts.map((text) => commentLine(text, 'bash')).join('\n')}\necho ok\n`);
        expect(run('bash', ['-n'], file)).toBe('0:');
        expect(run('bash', [], file)).toBe('0:ok\n');
      }),
      { numRuns: 25 },
    );
  });

  it('python3: the file compiles (decoded by its cookie, as Python does) and defines only what follows', () => {
    fc.assert(
      fc.property(batch, (texts) => {
        const file = join(dir, 'header.py');
        writeFileSync(file, `${texts.map((text) => commentLine(text, 'python')).join('\n')}\nok = 1\n`);
        const probe = 'import sys\nns = {}\nexec(compile(open(sys.argv[1], "rb").read(), "h", "exec"), ns)\nprint(sorted(k for k in ns if k != "__builtins__"))';
        expect(run('python3', ['-c', probe], file)).toBe("0:['ok']\n");
      }),
      { numRuns: 15 },
    );
  });

  it('HTML/Markdown: the comment holds no `-->` before its end', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const line = commentLine(text, 'html');
        expect(line.slice(0, -4)).not.toContain('-->');
        expect(line.endsWith(' -->')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the exact header decides ownership', () => {
  const owners: HeaderOwner[] = ['github', 'argo', 'entrypoint', 'docs', 'types'];

  it('every owner reads back from its header, whatever the source path says', () => {
    fc.assert(
      fc.property(fc.constantFrom(...owners), hostileText, fc.constantFrom('yaml', 'bash', 'python', 'typescript', 'html') as fc.Arbitrary<'yaml'>, (owner, source, language) => {
        const content = `${headerComment({ owner, source, contents: source }, language)}body\n`;
        expect(readHeader(content)).toEqual({ owner });
      }),
      { numRuns: 500 },
    );
  });

  it('a header checked out with CRLF line endings is still ours', () => {
    expect(readHeader(headerComment({ owner: 'argo', source: 'p.ts', contents: 'x' }, 'yaml').replace(/\n/g, '\r\n'))).toEqual({ owner: 'argo' });
  });

  it('a comment that merely mentions Sluice, or a header after code, is not ours', () => {
    expect(readHeader('# Generated by Sluice once, then edited by hand.\non: push\n')).toBeUndefined();
    expect(readHeader('# Generated by Sluice. Do not edit by hand: change the source and run the command below.\n# Target: jenkins\n')).toBeUndefined();
    expect(readHeader(`on: push\n${headerComment({ owner: 'github', source: 'p.ts', contents: 'x' }, 'yaml')}`)).toBeUndefined();
    expect(readHeader('')).toBeUndefined();
  });
});
