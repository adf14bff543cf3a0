import { describe, expect, it } from 'vitest';
import type { Bridge, EventName, Events } from '../../../../main/bridge/contract.js';
import { TerminalHub } from './hub.js';

function eventBridge() {
  const listeners = new Map<string, Array<(p: unknown) => void>>();
  const bridge: Bridge = {
    call: async () => ({ ok: false, error: { code: 'Unknown', message: 'unused' } }),
    on: (name, cb) => {
      const list = listeners.get(name) ?? [];
      list.push(cb as (p: unknown) => void);
      listeners.set(name, list);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== cb));
    },
  };
  const emit = <K extends EventName>(name: K, p: Events[K]) => (listeners.get(name) ?? []).forEach((f) => f(p));
  return { bridge, emit };
}

describe('TerminalHub', () => {
  it('holds output and exit that arrive before the session attaches, then routes by id', () => {
    const { bridge, emit } = eventBridge();
    const hub = new TerminalHub(bridge);
    emit('terminal.data', { id: 't1', data: '$ ' });
    emit('terminal.data', { id: 't2', data: 'other' });
    const got: string[] = [];
    const exits: number[] = [];
    hub.attach('t1', { data: (d) => got.push(d), exit: (e) => exits.push(e.exitCode) });
    emit('terminal.data', { id: 't1', data: 'ls\r\n' });
    emit('terminal.exit', { id: 't1', exitCode: 0 });
    expect(got).toEqual(['$ ', 'ls\r\n']);
    expect(exits).toEqual([0]);
    hub.detach('t1');
    emit('terminal.data', { id: 't1', data: 'late' });
    expect(got).toHaveLength(2);
    hub.dispose();
  });
});
