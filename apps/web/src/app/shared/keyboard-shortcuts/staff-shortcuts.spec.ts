import { staffShortcut } from './staff-shortcuts';

describe('staffShortcut', () => {
  let input: HTMLInputElement;
  let textarea: HTMLTextAreaElement;
  let overlay: HTMLElement;

  beforeEach(() => {
    document.body.innerHTML = '<input type="search" /><textarea></textarea><div class="cdk-overlay-container"><button>menú</button></div>';
    input = document.querySelector('input')!;
    textarea = document.querySelector('textarea')!;
    overlay = document.querySelector('.cdk-overlay-container button')!;
  });

  function press(key: string, target: EventTarget = document.body, modifiers: KeyboardEventInit = {}): ReturnType<typeof staffShortcut> {
    let action: ReturnType<typeof staffShortcut> = null;
    const listener = (event: Event) => (action = staffShortcut(event as KeyboardEvent));
    document.addEventListener('keydown', listener);
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers }));
    document.removeEventListener('keydown', listener);
    return action;
  }

  it('maps the keys when nothing is being typed', () => {
    expect(['j', 'k', 's', 'r', '/', 'l', 'n', 't', '?', 'x'].map((key) => press(key))).toEqual([
      'next',
      'previous',
      'search',
      'composer',
      'quickReply',
      'labels',
      'note',
      'transfer',
      'help',
      null,
    ]);
  });

  it('leaves "/" and "l" to the composer while typing (there "/" opens its own picker)', () => {
    expect(press('/', textarea)).toBeNull();
    expect(press('l', textarea)).toBeNull();
    expect(press('/', input)).toBeNull();
  });

  it('Alt+↓/↑ move between conversations even from the composer', () => {
    expect(press('ArrowDown', textarea, { altKey: true })).toBe('next');
    expect(press('ArrowUp', textarea, { altKey: true })).toBe('previous');
    expect(press('ArrowDown', textarea)).toBeNull();
  });

  it('single keys never act while typing, with Ctrl/Cmd, or inside menus and dialogs', () => {
    expect(press('j', input)).toBeNull();
    expect(press('?', textarea)).toBeNull();
    expect(press('k', document.body, { ctrlKey: true })).toBeNull();
    expect(press('s', document.body, { metaKey: true })).toBeNull();
    expect(press('j', overlay)).toBeNull();
    expect(press('ArrowDown', overlay, { altKey: true })).toBeNull();
  });
});
