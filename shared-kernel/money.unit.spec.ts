import { expect } from 'chai';
import { ValidationError } from './errors';
import { addMoney, money, moneyEquals, multiplyMoney } from './money';

describe('Money', () => {
  it('adds and multiplies in minor units', () => {
    const price = money(1999, 'EUR');
    expect(addMoney(price, money(1, 'EUR'))).to.deep.equal({ amount: 2000, currency: 'EUR' });
    expect(multiplyMoney(price, 3)).to.deep.equal({ amount: 5997, currency: 'EUR' });
    expect(moneyEquals(price, money(1999, 'EUR'))).to.equal(true);
    expect(moneyEquals(price, money(1999, 'USD'))).to.equal(false);
  });

  it('refuses fractions, unsafe integers, bad currencies and mixed currencies', () => {
    expect(() => money(10.5, 'EUR')).to.throw(ValidationError, 'amount');
    expect(() => money(2 ** 60, 'EUR')).to.throw(ValidationError, 'amount');
    expect(() => money(1, 'eur')).to.throw(ValidationError, 'currency');
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).to.throw(
      ValidationError,
      'EUR with USD',
    );
  });
});
