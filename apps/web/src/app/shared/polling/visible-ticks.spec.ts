import { jest } from '@jest/globals';

import { visibleTicks } from './visible-ticks';

describe('visibleTicks', () => {
  let visibility: DocumentVisibilityState;

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function setVisibility(state: DocumentVisibilityState): void {
    visibility = state;
    document.dispatchEvent(new Event('visibilitychange'));
  }

  it('ticks at once and then every interval while visible', () => {
    let ticks = 0;
    const subscription = visibleTicks(5000, document).subscribe(() => ticks++);
    jest.advanceTimersByTime(0);
    expect(ticks).toBe(1);
    jest.advanceTimersByTime(15_000);
    expect(ticks).toBe(4);
    subscription.unsubscribe();
  });

  it('pauses while the tab is hidden and ticks at once when it is shown again', () => {
    let ticks = 0;
    const subscription = visibleTicks(5000, document).subscribe(() => ticks++);
    jest.advanceTimersByTime(0);
    setVisibility('hidden');
    jest.advanceTimersByTime(60_000);
    expect(ticks).toBe(1);

    setVisibility('visible');
    jest.advanceTimersByTime(0);
    expect(ticks).toBe(2);
    subscription.unsubscribe();
  });
});
