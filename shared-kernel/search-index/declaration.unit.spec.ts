import { expect } from 'chai';
import { ConfigError } from '../errors';
import { productDeclaration } from './contract/contract.fixtures';
import {
  declarationsByName,
  parseTargetName,
  targetName,
  validateDeclaration,
} from './declaration';

describe('search index declarations', () => {
  it('accepts the product declaration', () => {
    expect(validateDeclaration(productDeclaration('products')).name).to.equal('products');
  });

  it('lists every problem of a bad declaration at once', () => {
    const bad = {
      name: 'Bad-Name',
      text: [{ name: 'name', boost: 0 }],
      fields: [
        { name: 'id', type: 'keyword' as const },
        { name: 'name', type: 'keyword' as const },
        { name: 'flag', type: 'boolean' as const, sortable: true },
      ],
    };
    expect(() => validateDeclaration(bad))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/name "Bad-Name"/)
      .and.matches(/"id" is not allowed/)
      .and.matches(/name is declared twice/)
      .and.matches(/boost must be a positive number/)
      .and.matches(/flag: a boolean field cannot be sortable/);
  });

  it('refuses two declarations of one index', () => {
    const twice = [productDeclaration('products'), productDeclaration('products')];
    expect(() => declarationsByName(twice)).to.throw(ConfigError, 'declared twice');
  });

  it('names targets so that they parse back and cannot be index names', () => {
    expect(targetName('products', 12)).to.equal('products__v0012');
    expect(parseTargetName('products__v0012')).to.deep.equal({
      indexName: 'products',
      sequence: 12,
    });
    expect(parseTargetName('products')).to.equal(null);
    expect(() => validateDeclaration(productDeclaration('products__v0001'))).to.throw(ConfigError);
  });
});
