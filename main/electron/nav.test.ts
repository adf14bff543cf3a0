import { describe, expect, it } from 'vitest';
import { isAppUrl } from './nav.js';

describe('isAppUrl', () => {
  const dev = 'http://localhost:5173/';
  const prod = 'file:///opt/KubeLab/resources/app.asar/out/renderer/index.html';
  const cases: Array<[string, string, boolean]> = [
    ['http://localhost:5173/', dev, true],
    ['http://localhost:5173/labs/1?x=1#y', dev, true],
    ['http://localhost:5174/', dev, false],
    ['http://127.0.0.1:5173/', dev, false],
    ['https://example.com/', dev, false],
    [prod + '#/labs', prod, true],
    [prod + '?q=1', prod, true],
    ['file:///etc/passwd', prod, false],
    ['file:///opt/KubeLab/resources/app.asar/out/renderer/other.html', prod, false],
    ['https://example.com/', prod, false],
    ['not a url', prod, false],
    ['javascript:alert(1)', dev, false],
  ];
  it.each(cases)('%s against %s -> %s', (target, app, want) => {
    expect(isAppUrl(target, app)).toBe(want);
  });
});
