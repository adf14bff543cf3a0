import { describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import { EventRecorder } from './recorder.js';

function setup() {
  const h = new Harness({ bootstrap: false });
  const client = h.client;
  const pod = client.create(client.def('', 'pods'), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
  });
  const events = () => client.list(client.def('', 'events'), 'default');
  return { h, rec: new EventRecorder(client), pod, events };
}

describe('EventRecorder', () => {
  it('bumps count and lastTimestamp when the same thing happens again', () => {
    const { h, rec, pod, events } = setup();
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { component: 'kubelet', host: 'node01' }, 'spec.containers{nginx}');
    h.clock.advance(30_000);
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { component: 'kubelet', host: 'node01' }, 'spec.containers{nginx}');
    const [ev, ...rest] = events();
    expect(rest).toHaveLength(0);
    expect(ev).toMatchObject({ count: 2, reason: 'BackOff', involvedObject: { name: 'web', fieldPath: 'spec.containers{nginx}' } });
    expect(Date.parse(ev!.lastTimestamp as string) - Date.parse(ev!.firstTimestamp as string)).toBe(30_000);
  });

  it.each([
    ['a different message', 'Pulled', 'Container image "nginx" already present on machine'],
    ['a different reason', 'Created', 'Created container: nginx'],
  ])('records %s as a new event', (_what, reason, message) => {
    const { rec, pod, events } = setup();
    rec.event(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx"', { component: 'kubelet' });
    rec.event(pod, 'Normal', reason, message, { component: 'kubelet' });
    expect(events()).toHaveLength(2);
  });

  it('combines similar events about one object into one "(combined from similar events)" event', () => {
    const { rec, pod, events } = setup();
    for (let i = 0; i < 12; i++) rec.event(pod, 'Normal', 'Tick', `tick ${i}`, { component: 'test' });
    const all = events();
    expect(all).toHaveLength(10);
    const combined = all.filter((e) => String(e.message).startsWith('(combined from similar events): '));
    expect(combined.map((e) => [e.message, e.count])).toEqual([['(combined from similar events): tick 11', 3]]);
  });

  it('writes an event that expired meanwhile anew under its name, with the whole count', () => {
    const { h, rec, pod, events } = setup();
    const say = () => rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { component: 'kubelet' });
    say();
    const [first] = events();
    h.client.delete(h.client.def('', 'events'), 'default', first!.metadata.name!);
    h.clock.advance(60_000);
    say();
    const [again, ...rest] = events();
    expect(rest).toHaveLength(0);
    expect([again!.metadata.name, again!.count, again!.firstTimestamp]).toEqual([first!.metadata.name, 2, first!.firstTimestamp]);
  });
});
