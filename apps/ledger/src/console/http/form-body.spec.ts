import { safeReturnPath } from './console-error.filter';
import { FORM_FIELD_LIMIT, parseForm } from './form-body';

describe('console forms', () => {
  it('parses a form into texts, repeated names into lists, on an object without a prototype', () => {
    const form = parseForm('iin=791028302728&categories=1&categories=13&detail=%D2%9A%D0%B0%D0%B7%D0%B0%D2%9B+%D1%82%D1%96%D0%BB%D1%96&__proto__=x');
    expect({ ...form }).toEqual({ iin: '791028302728', categories: ['1', '13'], detail: 'Қазақ тілі', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(form)).toBeNull();
  });

  it('takes a form of as many fields as the limit, one name repeated, its values in order; refuses one field more with a 400', () => {
    const values = Array.from({ length: FORM_FIELD_LIMIT - 1 }, (_, i) => String(i));
    const atLimit = `_csrf=t&${values.map((v) => `categories=${v}`).join('&')}`;
    expect({ ...parseForm(atLimit) }).toEqual({ _csrf: 't', categories: values });
    expect(() => parseForm(`${atLimit}&categories=x`)).toThrow(expect.objectContaining({ statusCode: 400, message: expect.stringContaining(`at most ${FORM_FIELD_LIMIT} fields`) }));
    // The body from the report: 32,700 empty fields under one name, within the 64 KB body limit.
    expect(() => parseForm('a&'.repeat(32_700))).toThrow(expect.objectContaining({ statusCode: 400 }));
  });

  it('returns after sign-in only to a page of the console', () => {
    expect(safeReturnPath('/console/requests?lang=ru')).toBe('/console/requests?lang=ru');
    for (const bad of ['https://evil.example/', '//evil.example/console/', '/console/%2e%2e/v1/admin/keys', '/console/../v1/admin/keys', '/console//evil.example', '/console/x\n', '/v1/reports/violations', '/console/sign-out', undefined, ['/console/x']]) {
      expect(safeReturnPath(bad)).toBe('/console/overview');
    }
  });
});
