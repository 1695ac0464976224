import { describe, expect, it } from 'vitest';
import type { DispatcherClient } from '@shoal/api';
import { ManagerList } from '../../packages/agent/src/managers.js';

/** A ManagerList whose clients only record being made and closed. */
function list(addrs: string[]) {
  const made: string[] = [];
  const closed: string[] = [];
  const managers = new ManagerList(addrs, (addr) => {
    made.push(addr);
    return { close: () => closed.push(addr) } as unknown as DispatcherClient;
  });
  return { managers, made, closed };
}

describe('manager list', () => {
  it('tries each manager in turn and asks for backoff only after a whole round failed', () => {
    const { managers } = list(['a:1', 'b:1', 'c:1']);
    expect(managers.current).toBe('a:1');
    expect([managers.failed(), managers.current]).toEqual([false, 'b:1']);
    expect([managers.failed(), managers.current]).toEqual([false, 'c:1']);
    expect([managers.failed(), managers.current]).toEqual([true, 'a:1']);
    expect([managers.failed(), managers.current]).toEqual([false, 'b:1']);
    managers.registered();
    expect([managers.failed(), managers.current]).toEqual([false, 'c:1']);
    expect([managers.failed(), managers.current]).toEqual([false, 'a:1']);
  });

  it('with one manager, backs off after every failure', () => {
    const { managers } = list(['a:1']);
    expect([managers.failed(), managers.current]).toEqual([true, 'a:1']);
    expect([managers.failed(), managers.current]).toEqual([true, 'a:1']);
  });

  it('goes to a named leader at once, learning its address, but backs off when followers keep redirecting', () => {
    const { managers } = list(['a:1', 'b:1']);
    expect([managers.redirect('c:1'), managers.current]).toEqual([false, 'c:1']);
    expect(managers.all()).toEqual(['a:1', 'b:1', 'c:1']);
    expect(managers.redirect('a:1')).toBe(false);
    expect(managers.redirect('c:1')).toBe(false);
    expect(managers.redirect('a:1')).toBe(true); // the fourth redirect in a row without registering
    expect(managers.redirect('c:1')).toBe(false);
    managers.registered();
    expect(managers.redirect('a:1')).toBe(false);
  });

  it('takes a manager naming itself as leader as a plain failure', () => {
    const { managers } = list(['a:1', 'b:1']);
    expect([managers.redirect('a:1'), managers.current]).toEqual([false, 'b:1']);
  });

  it('keeps one client per address and closes the clients of managers no longer listed', () => {
    const { managers, made, closed } = list(['a:1', 'b:1', 'c:1']);
    const a = managers.client();
    expect(managers.client()).toBe(a);
    managers.failed();
    managers.client();
    managers.failed();
    managers.client();
    expect(made).toEqual(['a:1', 'b:1', 'c:1']);
    expect(managers.replace(['a:1', 'c:1'])).toBe(true);
    expect(closed).toEqual(['b:1']);
    expect(managers.replace(['c:1', 'a:1', 'a:1'])).toBe(true); // the leader's order counts
    expect(managers.replace(['c:1', 'a:1'])).toBe(false);
    expect(managers.replace([])).toBe(false); // an empty list is never taken: the agent would know no manager
    expect(managers.all()).toEqual(['c:1', 'a:1']);
  });

  it('keeps the client of the current manager while its session lives, even when it is no longer listed', () => {
    const { managers, closed } = list(['a:1', 'b:1']);
    managers.client();
    managers.replace(['b:1']);
    expect(closed).toEqual([]);
    managers.failed();
    expect([managers.current, closed]).toEqual(['b:1', ['a:1']]);
  });

  it('closes every client', () => {
    const { managers, closed } = list(['a:1', 'b:1']);
    managers.client();
    managers.failed();
    managers.client();
    managers.close();
    expect(closed).toEqual(['a:1', 'b:1']);
  });
});
