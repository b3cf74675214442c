import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideAppIcons } from '@app/core/icons/app-icons';
import { Subject } from 'rxjs';

import type { MessageDto } from '@app/api/models';
import { CONVERSATION_A, message } from '@testing/chat-fixtures';
import { CANDIDATE, SUPPORT_AGENT } from '@testing/session-fixtures';
import { MessageTimelineComponent, TIMELINE_CLOCK, TIMELINE_TIME_ZONE } from './message-timeline.component';

describe('MessageTimelineComponent', () => {
  let fixture: ComponentFixture<MessageTimelineComponent>;
  let arrivals: Subject<readonly MessageDto[]>;

  async function render(messages: MessageDto[], inputs: Record<string, unknown> = {}): Promise<HTMLElement> {
    fixture.componentRef.setInput('messages', messages);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideAppIcons(),
        { provide: TIMELINE_CLOCK, useValue: () => new Date('2026-03-02T18:00:00Z') },
        { provide: TIMELINE_TIME_ZONE, useValue: 'America/Mexico_City' },
      ],
    });
    fixture = TestBed.createComponent(MessageTimelineComponent);
    arrivals = new Subject();
    fixture.componentRef.setInput('currentUserId', CANDIDATE.id);
    fixture.componentRef.setInput('arrivals', arrivals);
  });

  it('shows sender names ("Tú" for own messages) and system messages as timeline events', async () => {
    const element = await render([
      message(CONVERSATION_A, 1),
      message(CONVERSATION_A, 2),
      message(CONVERSATION_A, 3, { message_type: 'system', content: 'Sofía marcó la conversación como resuelta.' }),
    ]);
    const senders = [...element.querySelectorAll('[data-testid="message-sender"]')].map((node) => node.textContent.trim());
    expect(senders).toEqual(['Tú', 'Sofía Ramírez']);
    expect(element.querySelector('[data-testid="system-message"]')!.textContent).toContain('marcó la conversación como resuelta');
  });

  it('shows an internal note as a labelled note with its author and time, not as a chat bubble', async () => {
    fixture.componentRef.setInput('currentUserId', SUPPORT_AGENT.id);
    const element = await render([message(CONVERSATION_A, 1), message(CONVERSATION_A, 2, { message_type: 'note', content: 'Revisar el pago' })]);
    const note = element.querySelector('[data-testid="internal-note"]')!;
    expect(note.textContent).toContain('Nota interna');
    expect(note.querySelector('[data-testid="note-text"]')!.textContent).toBe('Revisar el pago');
    expect(note.querySelector('time')).not.toBeNull();
    expect(element.querySelectorAll('[data-testid="message"]')).toHaveLength(1);
  });

  it('renders content as text, never as HTML', async () => {
    const element = await render([message(CONVERSATION_A, 1, { content: '<img src=x onerror=alert(1)><b>hola</b>' })]);
    const text = element.querySelector('[data-testid="message-text"]')!;
    expect(text.textContent).toBe('<img src=x onerror=alert(1)><b>hola</b>');
    expect(text.querySelector('img, b')).toBeNull();
  });

  it('makes https addresses clickable (new tab, no opener, no referrer) and nothing of a hostile payload runs or links', async () => {
    const hostile =
      'Mira https://ayuda.example.mx/guia?q="><img src=x onerror=alert(1)> y <script>alert(2)</script> javascript:alert(3) data:text/html,<b>x</b> http://inseguro.example.mx';
    const element = await render([message(CONVERSATION_A, 1, { content: hostile })]);
    const text = element.querySelector('[data-testid="message-text"]')!;
    expect(text.textContent).toBe(hostile);
    expect(text.querySelector('img, script, b')).toBeNull();
    const links = [...text.querySelectorAll('a')];
    expect(links.map((link) => [link.textContent, link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')])).toEqual([
      ['https://ayuda.example.mx/guia?q=', 'https://ayuda.example.mx/guia?q=', '_blank', 'noopener noreferrer'],
    ]);
  });

  it('announces messages from others in the live region, not our own', async () => {
    const element = await render([message(CONVERSATION_A, 1)]);
    arrivals.next([message(CONVERSATION_A, 3)]);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="live-region"]')!.textContent).toBe('');
    arrivals.next([message(CONVERSATION_A, 2, { content: '¿Sigues ahí?' })]);
    await fixture.whenStable();
    const live = element.querySelector('[data-testid="live-region"]')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toBe('Nuevo mensaje de Sofía Ramírez: ¿Sigues ahí?');
  });

  it('offers older messages with a button (and a sentinel for scrolling)', async () => {
    const element = await render([message(CONVERSATION_A, 31)], { hasOlder: true });
    let asked = 0;
    fixture.componentInstance.loadOlder.subscribe(() => asked++);
    const button = [...element.querySelectorAll('button')].find((node) => node.textContent.includes('Cargar mensajes anteriores'))!;
    button.click();
    expect(asked).toBe(1);
  });

  it('shows failed sends with "Reintentar"', async () => {
    const element = await render([], {
      pending: [
        { client_message_id: 'k1', conversation_id: CONVERSATION_A, content: 'Hola', attachment: null, state: 'failed', error: 'Sin conexión', created_at: '' },
      ],
    });
    let retried: string | null = null;
    fixture.componentInstance.retry.subscribe((id) => (retried = id));
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('Sin conexión');
    [...element.querySelectorAll('button')].find((node) => node.textContent.includes('Reintentar'))!.click();
    expect(retried).toBe('k1');
  });

  describe('read receipts', () => {
    const receipts = (element: HTMLElement) =>
      [...element.querySelectorAll('[data-testid="message"]')].map((node) => {
        const receipt = node.querySelector('[data-testid="receipt"]');
        return receipt
          ? `${node.getAttribute('data-seq')}:${receipt.getAttribute('data-state')}:${receipt.textContent.trim()}`
          : `${node.getAttribute('data-seq')}:-`;
      });

    it('ticks one’s own messages, and says "Visto" on the newest the other side has read', async () => {
      // Odd seq: the candidate (me); even: the agent.
      const messages = [1, 2, 3, 5].map((seq) => message(CONVERSATION_A, seq));
      const element = await render(messages, {
        candidateUserId: CANDIDATE.id,
        readMarkers: [{ conversation_id: CONVERSATION_A, user_id: SUPPORT_AGENT.id, last_read_seq: 3 }],
      });
      expect(receipts(element)).toEqual(['1:seen:Visto', '2:-', '3:seen:Visto', '5:sent:Enviado']);
      // Only the newest seen one shows the word; the others say it to screen readers only.
      expect(element.querySelector('[data-seq="1"] [data-testid="receipt"] .cdk-visually-hidden')).not.toBeNull();
      expect(element.querySelector('[data-seq="3"] [data-testid="receipt"] .cdk-visually-hidden')).toBeNull();

      await render(messages, { readMarkers: [{ conversation_id: CONVERSATION_A, user_id: SUPPORT_AGENT.id, last_read_seq: 5 }] });
      expect(receipts(element)).toEqual(['1:seen:Visto', '2:-', '3:seen:Visto', '5:seen:Visto']);
      expect(element.querySelector('[data-seq="5"] [data-testid="receipt"] .cdk-visually-hidden')).toBeNull();
    });

    it('nothing is "Visto" until the other side reads; for staff, a colleague reading does not count', async () => {
      fixture.componentRef.setInput('currentUserId', SUPPORT_AGENT.id);
      const colleague = '00000000-0000-4000-8000-0000000000c0';
      const element = await render([message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)], {
        candidateUserId: CANDIDATE.id,
        readMarkers: [{ conversation_id: CONVERSATION_A, user_id: colleague, last_read_seq: 2 }],
      });
      expect(receipts(element)).toEqual(['1:-', '2:sent:Enviado']);
      await render([message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)], {
        readMarkers: [
          { conversation_id: CONVERSATION_A, user_id: colleague, last_read_seq: 2 },
          { conversation_id: CONVERSATION_A, user_id: CANDIDATE.id, last_read_seq: 2 },
        ],
      });
      expect(receipts(element)).toEqual(['1:-', '2:seen:Visto']);
    });
  });

  describe('separators, grouping and "Mensajes nuevos"', () => {
    /** What the list shows, in order: separators by their text, messages by seq (G when grouped). */
    const outline = (element: HTMLElement) =>
      [...element.querySelectorAll('.messages > li')].map((node) =>
        node.classList.contains('divider')
          ? `[${node.textContent.trim()}]`
          : `${node.getAttribute('data-seq')}${node.classList.contains('grouped') ? 'G' : ''}`,
      );
    const agent = { sender_user_id: SUPPORT_AGENT.id, sender: { id: SUPPORT_AGENT.id, full_name: SUPPORT_AGENT.full_name, role: 'soporte' } };

    it('shows days, groups one sender’s consecutive messages (name and time once) and marks where the unread ones start', async () => {
      const element = await render(
        [
          message(CONVERSATION_A, 1, { created_at: '2026-03-01T16:00:00Z' }), // yesterday, 10:00 local
          message(CONVERSATION_A, 2, { created_at: '2026-03-02T16:00:00Z', ...agent }),
          message(CONVERSATION_A, 3, { created_at: '2026-03-02T16:01:00Z', ...agent }),
          message(CONVERSATION_A, 4, { created_at: '2026-03-02T16:02:00Z', ...agent }),
        ],
        { candidateUserId: CANDIDATE.id, openedUnread: { count: 1, seq: 4 } },
      );
      expect(outline(element)).toEqual(['[Ayer]', '1', '[Hoy]', '2', '3G', '[Mensajes nuevos]', '4']);
      const senders = [...element.querySelectorAll('[data-testid="message-sender"]')].map((node) => node.textContent.trim());
      expect(senders).toEqual(['Tú', 'Sofía Ramírez', 'Sofía Ramírez']);
      // A grouped message still names its sender for screen readers.
      expect(element.querySelector('[data-seq="3"] .cdk-visually-hidden')!.textContent).toContain('Sofía Ramírez');
    });

    it('"Ir al primer mensaje no leído" moves focus to the separator and goes away', async () => {
      const element = await render([message(CONVERSATION_A, 1), message(CONVERSATION_A, 2, agent)], {
        candidateUserId: CANDIDATE.id,
        openedUnread: { count: 1, seq: 2 },
      });
      const jump = element.querySelector<HTMLButtonElement>('[data-testid="jump-to-unread"]')!;
      expect(jump.textContent).toContain('Ir al primer mensaje no leído');
      jump.click();
      await fixture.whenStable();
      expect(document.activeElement).toBe(element.querySelector('[data-testid="unread-separator"]'));
      expect(element.querySelector('[data-testid="jump-to-unread"]')).toBeNull();
    });

    it('loads older pages when the first unread message is above the loaded page', async () => {
      const element = await render([message(CONVERSATION_A, 31, agent)], {
        candidateUserId: CANDIDATE.id,
        hasOlder: true,
        openedUnread: { count: 3, seq: 31 },
      });
      expect(element.querySelector('[data-testid="unread-separator"]')).toBeNull();
      let asked = 0;
      fixture.componentInstance.loadOlder.subscribe(() => asked++);
      element.querySelector<HTMLButtonElement>('[data-testid="jump-to-unread"]')!.click();
      expect(asked).toBe(1);
    });

    it('no separator and no jump button when nothing was unread', async () => {
      const element = await render([message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)], {
        candidateUserId: CANDIDATE.id,
        openedUnread: { count: 0, seq: 2 },
      });
      expect(element.querySelector('[data-testid="unread-separator"]')).toBeNull();
      expect(element.querySelector('[data-testid="jump-to-unread"]')).toBeNull();
    });
  });
});
