import { describe, expect, it } from 'vitest';
import { isoTime } from '../clock.js';
import { Harness } from '../testing/harness.js';
import { EventRecorder } from './recorder.js';
import { EVENT_TTL_MS, EventTtl, lastWriteOf } from './ttl.js';

const MIN = 60_000;

function setup() {
  const h = new Harness({ bootstrap: false });
  const client = h.client;
  const EVENTS = client.def('', 'events');
  const pod = client.create(client.def('', 'pods'), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
  });
  const rec = new EventRecorder(client);
  const say = (reason: string) => rec.event(pod, 'Normal', reason, `${reason} happened`, { component: 'kubelet' });
  const reasons = () => client.list(EVENTS, 'default').map((e) => `${e.reason}x${e.count}`).sort();
  return { h, client, EVENTS, say, reasons };
}

describe('event TTL (kube-apiserver --event-ttl=1h)', () => {
  it('deletes an event an hour after its last write; a repeat renews the lease', () => {
    const { h, say, reasons } = setup();
    const ttl = new EventTtl(h.store, h.clock);
    ttl.start();
    say('Pulled');
    say('Started');
    h.clock.advance(30 * MIN);
    say('Started'); // count 2: written again, so it lives until 1 h after this
    h.clock.advance(30 * MIN - 1);
    expect(reasons()).toEqual(['Pulledx1', 'Startedx2']);
    h.clock.advance(1);
    expect(reasons()).toEqual(['Startedx2']);
    h.clock.advance(30 * MIN);
    expect(reasons()).toEqual([]);
    ttl.stop();
  });

  it('watchers see the expiry as DELETED', () => {
    const { h, say } = setup();
    new EventTtl(h.store, h.clock).start();
    const seen: string[] = [];
    h.store.subscribe((ev) => ev.resource === 'events' && seen.push(ev.type));
    say('Pulled');
    h.clock.advance(EVENT_TTL_MS);
    expect(seen).toEqual(['ADDED', 'DELETED']);
  });

  it('after a restart, expires stored events by the time they were last written', () => {
    const { h, client, EVENTS, say, reasons } = setup();
    say('Old');
    h.clock.advance(50 * MIN);
    say('Newer');
    // the engine restarts 20 minutes later: a fresh agent knows only what the objects say
    h.clock.advance(20 * MIN);
    const ttl = new EventTtl(h.store, h.clock);
    ttl.start();
    h.clock.advance(0);
    expect(reasons()).toEqual(['Newerx1']);
    h.clock.advance(40 * MIN);
    expect(reasons()).toEqual([]);
    expect(client.list(EVENTS)).toHaveLength(0);
  });

  it('stops expiring when stopped', () => {
    const { h, say, reasons } = setup();
    const ttl = new EventTtl(h.store, h.clock);
    ttl.start();
    say('Pulled');
    ttl.stop();
    h.clock.advance(2 * EVENT_TTL_MS);
    expect(reasons()).toEqual(['Pulledx1']);
  });

  it.each([
    ['lastTimestamp', { lastTimestamp: '2026-01-01T12:30:00Z', firstTimestamp: '2026-01-01T12:00:00Z' }, '2026-01-01T12:30:00Z'],
    ['eventTime of an events.k8s.io event', { eventTime: '2026-01-01T12:10:00.000000Z', lastTimestamp: null }, '2026-01-01T12:10:00Z'],
    ['series.lastObservedTime', { eventTime: '2026-01-01T12:10:00.000000Z', series: { count: 3, lastObservedTime: '2026-01-01T12:40:00.000000Z' } }, '2026-01-01T12:40:00Z'],
    ['only creationTimestamp', {}, '2026-01-01T11:00:00Z'],
  ])('reads the last write from %s', (_what, fields, want) => {
    const e = { metadata: { name: 'x', creationTimestamp: '2026-01-01T11:00:00Z' }, ...fields };
    expect(isoTime(lastWriteOf(e))).toBe(want);
  });
});
