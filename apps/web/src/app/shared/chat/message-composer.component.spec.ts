import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideAppIcons } from '@app/core/icons/app-icons';
import { By } from '@angular/platform-browser';

import { FakeChatApi } from '@testing/chat-fixtures';
import { ChatApiService } from './chat-api.service';
import { ComposerSubmit, MessageComposerComponent } from './message-composer.component';

describe('MessageComposerComponent', () => {
  let fixture: ComponentFixture<MessageComposerComponent>;
  let sent: ComposerSubmit[];
  let api: FakeChatApi;

  beforeEach(async () => {
    sessionStorage.clear();
    api = new FakeChatApi();
    TestBed.configureTestingModule({ providers: [provideAppIcons(), { provide: ChatApiService, useValue: api }] });
    fixture = TestBed.createComponent(MessageComposerComponent);
    fixture.componentRef.setInput('conversationId', 'c1');
    fixture.componentRef.setInput('maxLength', 10);
    sent = [];
    fixture.componentInstance.send.subscribe((message) => sent.push(message));
    await fixture.whenStable();
  });

  const textarea = () => fixture.debugElement.query(By.css('textarea')).nativeElement as HTMLTextAreaElement;
  const sendButton = () => fixture.debugElement.query(By.css('[data-testid="composer-send"]')).nativeElement as HTMLButtonElement;
  const count = () => (fixture.debugElement.query(By.css('[data-testid="composer-count"]')).nativeElement as HTMLElement).textContent.trim();

  async function type(text: string): Promise<void> {
    textarea().value = text;
    textarea().dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  function press(key: string, init: KeyboardEventInit = {}): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, cancelable: true, ...init });
    textarea().dispatchEvent(event);
    return event;
  }

  it('sends with Enter and clears the text box', async () => {
    await type('Hola');
    const event = press('Enter');
    await fixture.whenStable();
    expect(event.defaultPrevented).toBe(true);
    expect(sent).toEqual([{ content: 'Hola', attachment: null }]);
    expect(textarea().value).toBe('');
  });

  it('keeps Shift+Enter for a new line, and never sends while composing (IME)', async () => {
    await type('Hola');
    expect(press('Enter', { shiftKey: true }).defaultPrevented).toBe(false);
    expect(press('Enter', { isComposing: true }).defaultPrevented).toBe(false);
    expect(sent).toEqual([]);
  });

  it('counts characters as the API does (an emoji is one) and blocks sending over the maximum', async () => {
    await type('👋🏽 hola');
    expect(count()).toBe('7 / 10');
    await type('x'.repeat(11));
    expect(count()).toContain('11 / 10');
    expect(count()).toContain('supera el máximo');
    expect(textarea().getAttribute('aria-invalid')).toBe('true');
    expect(sendButton().disabled).toBe(true);
    press('Enter');
    expect(sent).toEqual([]);
  });

  it('does not send blank messages', async () => {
    await type('   ');
    press('Enter');
    expect(sent).toEqual([]);
    expect(sendButton().disabled).toBe(true);
  });

  it('is disabled with an explanation when the conversation is closed', async () => {
    fixture.componentRef.setInput('disabledReason', 'La conversación está cerrada.');
    await fixture.whenStable();
    expect(textarea().disabled).toBe(true);
    expect(fixture.nativeElement.querySelector('[data-testid="composer-disabled"]').textContent).toContain('La conversación está cerrada.');
  });

  it('keeps a draft per conversation', async () => {
    await type('borrador de c1');
    fixture.componentRef.setInput('conversationId', 'c2');
    await fixture.whenStable();
    expect(textarea().value).toBe('');
    fixture.componentRef.setInput('conversationId', 'c1');
    await fixture.whenStable();
    expect(textarea().value).toBe('borrador de c1');
  });

  it('keeps the draft when the composer is destroyed and created again (switching conversations, reloads)', async () => {
    await type('borrador que sobrevive');
    fixture.destroy();
    const again = TestBed.createComponent(MessageComposerComponent);
    again.componentRef.setInput('conversationId', 'c1');
    await again.whenStable();
    const box = again.nativeElement.querySelector('textarea') as HTMLTextAreaElement;
    expect(box.value).toBe('borrador que sobrevive');
    expect(sessionStorage.getItem('support-chat.draft.c1')).toBe('borrador que sobrevive');

    // Sent: gone from storage, so the next visit starts empty.
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await again.whenStable();
    expect(sessionStorage.getItem('support-chat.draft.c1')).toBeNull();
  });

  it('uploads an attachment with progress, then sends its metadata', async () => {
    const input = fixture.nativeElement.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['png'], 'captura.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(api.callsTo('upload')[0].args).toEqual([file]);

    api.calls[0].response.next({ kind: 'progress', percent: 40 });
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toContain('40 %');
    expect(sendButton().disabled).toBe(true);

    const upload = { url: 'https://files.example.com/a/captura.png', name: 'captura.png', mime_type: 'image/png', size_bytes: 3 };
    api.respond('upload', { kind: 'done', upload });
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[data-testid="attachment-ready"]').textContent).toContain('captura.png');
    sendButton().click();
    expect(sent).toEqual([{ content: '', attachment: upload }]);
  });
});
