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

  it('forgets the least recently seen occurrence beyond 4096, like client-go, so its repeat is a new event', () => {
    const { rec, pod, events } = setup();
    const say = (i: number) => rec.event(pod, 'Normal', 'Tick', `tick ${i}`, { component: 'test' });
    say(0);
    for (let i = 1; i <= 4096; i++) say(i);
    say(4096); // still remembered: counted
    say(0); // forgotten: a second event with the same message
    const all = events();
    expect(all).toHaveLength(4098);
    expect(all.filter((e) => e.message === 'tick 0')).toHaveLength(2);
    expect(all.find((e) => e.message === 'tick 4096')!.count).toBe(2);
  });
});
