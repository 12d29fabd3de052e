import { expect } from 'chai';
import { ValidationError } from '../errors';
import { makeMessages } from './contract/contract.fixtures';
import type { IntegrationMessage } from './port';
import { validateMessages } from './validate-messages';

function fieldsOf(messages: unknown[]): string[] {
  try {
    validateMessages(messages as IntegrationMessage[]);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.field);
  }
}

describe('validateMessages', () => {
  const [valid] = makeMessages(['strata.catalog.v1'], 1, 1) as [IntegrationMessage];

  it('accepts well-formed messages and an empty call', () => {
    expect(fieldsOf([valid, valid])).to.deep.equal([]);
    expect(fieldsOf([])).to.deep.equal([]);
  });

  it('names every problem of every message, by index and field', () => {
    const headers = { ...valid.headers, ce_specversion: '0.3', ce_time: 'yesterday', ce_type: '' };
    const broken = { ...valid, topic: 'bad topic!', key: '', value: [1, 2], headers };
    expect(fieldsOf([valid, broken])).to.deep.equal([
      'messages[1].topic',
      'messages[1].key',
      'messages[1].value',
      'messages[1].headers.ce_specversion',
      'messages[1].headers.ce_type',
      'messages[1].headers.ce_time',
    ]);
  });

  it('refuses missing headers, a wrong content type, values JSON cannot carry, non-objects', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const noSubject: Record<string, unknown> = { ...valid.headers, 'content-type': 'text/plain' };
    delete noSubject.ce_subject;
    expect(
      fieldsOf([{ ...valid, headers: noSubject }, { ...valid, value: cyclic }, null]),
    ).to.deep.equal([
      'messages[0].headers.content-type',
      'messages[0].headers.ce_subject',
      'messages[1].value',
      'messages[2]',
    ]);
    expect(fieldsOf([{ ...valid, headers: undefined }])).to.deep.equal(['messages[0].headers']);
  });
});
