import { describe, expect, it } from 'vitest';
import { IcdCodeScalar } from '../../src/resolvers/IcdCodeScalar.js';
import { useTestServer } from './testServer.js';

describe('IcdCode: shapes', () => {
  // One example of every key shape of the RuCCoD dictionary and the МКБ-10 reference.
  it.each([
    ['A00-B99', 'chapter range'],
    ['A00-A09', 'block range'],
    ['H49-52', 'range without the second letter'],
    ['I25', 'category'],
    ['00', 'the "no diagnosis" pseudo-code'],
    ['I25.2', 'subcategory'],
    ['F00.00', 'national extension, two digits'],
    ['F02.800', 'three digits'],
    ['F20.8041', 'four digits'],
    ['S02.0.0', 'dotted extension'],
    ['T08.+.0', 'plus extension'],
    ['F20.80*1', 'star extension'],
    ['F20.8**1', 'double star extension'],
    ['F13.201Н', 'Cyrillic Н'],
    ['F13.00Т', 'Cyrillic Т'],
    ['F13.1Т', 'one digit and Cyrillic Т'],
    ['F13.50H', 'Latin H'],
  ])('accepts %s (%s)', (code) => {
    expect(IcdCodeScalar.parseValue(code)).toBe(code);
  });

  it('trims and upper-cases, Cyrillic letters included', () => {
    expect(IcdCodeScalar.parseValue(' i25.2 ')).toBe('I25.2');
    expect(IcdCodeScalar.parseValue('f13.201н')).toBe('F13.201Н');
  });

  it.each(['', 'I', 'I2', 'I255', 'I25.', 'I25.2.', 'I25.*', 'I25.2НН', 'I25-2', 'I00-I', 'ИБС', '25.2', 'I25 2', 'I25.12345', 'A00-B99-C10'])(
    'refuses %j',
    (value) => {
      // The message names the length, never the value (errors do not echo client text).
      expect(() => IcdCodeScalar.parseValue(value)).toThrow(`IcdCode cannot represent a string of ${value.length} characters`);
    },
  );

  it('refuses non-strings and does not echo long input', () => {
    expect(() => IcdCodeScalar.parseValue(25)).toThrow('IcdCode cannot represent a number');
    expect(() => IcdCodeScalar.parseValue('x'.repeat(500))).toThrow('IcdCode cannot represent a string of 500 characters');
  });
});

describe('IcdCode: over HTTP', () => {
  const api = useTestServer();

  it('refuses a bad literal with BAD_USER_INPUT naming the value\'s length', async () => {
    const { status, body } = await api.server.query('{ code(code: "I25.2x") { code } }');
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: 'IcdCode cannot represent a string of 6 characters: expected an ICD-10 code such as I25, I25.2, F13.201Н or a range such as I20-I25',
        locations: [{ line: 1, column: 14 }],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
  });

  it('refuses a non-string literal', async () => {
    const { body } = await api.server.query('{ code(code: 25) { code } }');
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'IcdCode must be a string literal, got IntValue']]);
  });

  it('refuses a bad variable with BAD_USER_INPUT naming the variable and the value\'s length', async () => {
    const { body } = await api.server.query('query($c: IcdCode!) { code(code: $c) { code } }', { c: 'hello' });
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'Variable "$c" got invalid value <5 characters>; IcdCode cannot represent a string of 5 characters: expected an ICD-10 code such as I25, I25.2, F13.201Н or a range such as I20-I25',
      ],
    ]);
  });

  it('refuses a bad element of a list variable', async () => {
    const { body } = await api.server.query('query($c: [IcdCode!]!) { codes(codes: $c) { code } }', { c: ['I25', 'nope'] });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('at "c[1]"');
  });

  it('accepts a good variable', async () => {
    const { body } = await api.server.query('query($c: IcdCode!) { code(code: $c) { code } }', { c: 'i25.2' });
    expect(body).toEqual({ data: { code: { code: 'I25.2' } } });
  });
});
