import { expect } from 'chai';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { matchPhrases } from './match-expression';
import { TOKENIZER } from './schema';

describe('FTS5 phrases from plain text', () => {
  it('quotes every chunk so operators are searched as words', () => {
    expect(matchPhrases(`" OR * NEAR( - : ( ) ^ AND`)).to.deep.equal(['"OR"', '"NEAR("', '"AND"']);
    expect(matchPhrases('say "hi"')).to.deep.equal(['"say"', '"""hi"""']);
    expect(matchPhrases('  * - ')).to.deep.equal([]);
  });

  it('gives phrases that are each valid FTS5 syntax, whatever the text', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = '${TOKENIZER}')`);
    db.prepare('INSERT INTO t (a, b) VALUES (?, ?)').run('or near and', 'x');
    const statement = db.prepare('SELECT rowid FROM t WHERE t MATCH ?');
    const search = { all: (phrases: string[]) => phrases.map((phrase) => statement.all(phrase)) };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(() => search.all(matchPhrases(text))).not.to.throw();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('"', '*', 'OR', 'NEAR(', '-', ':', '(', ')', '^', 'AND', '+', '{a}'),
          {
            maxLength: 12,
          },
        ),
        (parts) => {
          expect(() => search.all(matchPhrases(parts.join(' ')))).not.to.throw();
        },
      ),
    );
    db.close();
  });
});
