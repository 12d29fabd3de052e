import { expect } from 'chai';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { matchExpression } from './match-expression';
import { TOKENIZER } from './schema';

describe('FTS5 match expression from plain text', () => {
  it('quotes every chunk so operators are searched as words', () => {
    expect(matchExpression(`" OR * NEAR( - : ( ) ^ AND`)).to.equal('"OR" "NEAR(" "AND"');
    expect(matchExpression('say "hi"')).to.equal('"say" """hi"""');
    expect(matchExpression('  * - ')).to.equal('""');
  });

  it('is always valid FTS5 syntax, whatever the text', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = '${TOKENIZER}')`);
    db.prepare('INSERT INTO t (a, b) VALUES (?, ?)').run('or near and', 'x');
    const search = db.prepare('SELECT rowid FROM t WHERE t MATCH ?');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(() => search.all(matchExpression(text))).not.to.throw();
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
          expect(() => search.all(matchExpression(parts.join(' ')))).not.to.throw();
        },
      ),
    );
    db.close();
  });
});
