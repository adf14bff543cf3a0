import { describe, expect, it } from 'vitest';
import { formatLabelSelector, fromLabelSelectorObject, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app!=web', { app: 'web' }, false],
    ['app in (web,db)', { app: 'db' }, true],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier=fe', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier=fe', { app: 'web' }, false],
    ['env in (a, b),app', { env: 'b', app: 'x' }, true],
  ])('%s on %j → %s', (sel, labels, want) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(want);
  });

  it('refuses malformed selectors', () => {
    expect(() => parseLabelSelector('app=web,')).toThrow(/unable to parse requirement/);
    expect(() => parseLabelSelector('-bad=x')).toThrow(/name part must consist of alphanumeric characters/);
  });

  it('formats metav1.LabelSelector like Scale.status.selector', () => {
    expect(formatLabelSelector(fromLabelSelectorObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }))).toBe('app=web,tier in (a,b)');
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node01' }, status: { phase: 'Running' } };
  it.each([
    ['metadata.name=p', true],
    ['spec.nodeName=node01,status.phase=Running', true],
    ['status.phase!=Running', false],
    ['spec.nodeName=', false],
  ])('%s', (sel, want) => expect(matchesFields(parseFieldSelector(sel, 'pods'), pod)).toBe(want));

  it('refuses fields the resource does not support, in upstream words', () => {
    expect(() => parseFieldSelector('spec.foo=bar', 'pods')).toThrow('field label not supported: spec.foo');
    expect(() => parseFieldSelector('spec.nodeName=x', 'configmaps')).toThrow('field label not supported: spec.nodeName');
  });
});
