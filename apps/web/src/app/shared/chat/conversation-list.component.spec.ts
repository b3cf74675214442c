import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideAppIcons } from '@app/core/icons/app-icons';

import { listItem, message } from '@testing/chat-fixtures';
import { SUPPORT_AGENT } from '@testing/session-fixtures';
import { ConversationListComponent } from './conversation-list.component';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('ConversationListComponent', () => {
  let fixture: ComponentFixture<ConversationListComponent>;
  let selected: string[];

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideAppIcons()] });
    fixture = TestBed.createComponent(ConversationListComponent);
    fixture.componentRef.setInput('currentUserId', SUPPORT_AGENT.id);
    fixture.componentRef.setInput('mode', 'staff');
    fixture.componentRef.setInput('conversations', [
      listItem(id(1), { unread_count: 2, last_message: message(id(1), 1, { content: 'No puedo entrar' }), priority: 'high' }),
      listItem(id(2), { status: 'resolved' }),
      listItem(id(3), {
        assigned_support_user_id: SUPPORT_AGENT.id,
        assigned_support_user: { id: SUPPORT_AGENT.id, full_name: 'Sofía', role: 'soporte', username: '', email: '' },
      }),
    ]);
    fixture.componentRef.setInput('selectedId', id(2));
    selected = [];
    fixture.componentInstance.select.subscribe((value) => selected.push(value));
    await fixture.whenStable();
  });

  const options = () => [...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('[role="option"]')];
  const key = (element: HTMLElement, name: string) => element.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));

  it('is a listbox with one Tab stop on the selected conversation', () => {
    expect(fixture.nativeElement.querySelector('[role="listbox"]').getAttribute('aria-label')).toBe('Conversaciones');
    expect(options().map((option) => option.tabIndex)).toEqual([-1, 0, -1]);
    expect(options()[1].getAttribute('aria-selected')).toBe('true');
  });

  it('shows candidate, preview, status, priority, assignee and unread badge', () => {
    const first = options()[0].textContent;
    expect(first).toContain('Ana López Pérez');
    expect(first).toContain('Ana López Pérez: No puedo entrar');
    expect(first).toContain('Abierta');
    expect(first).toContain('Prioridad alta');
    expect(first).toContain('Sin asignar');
    expect(options()[0].querySelector('[aria-label="2 mensajes sin leer"]')).not.toBeNull();
    expect(options()[2].textContent).toContain('Asignada a ti');
  });

  it('moves with the arrow keys, Home and End, and opens with Enter', async () => {
    options()[1].focus();
    key(options()[1], 'ArrowDown');
    await fixture.whenStable();
    expect(document.activeElement).toBe(options()[2]);
    key(options()[2], 'Home');
    await fixture.whenStable();
    expect(document.activeElement).toBe(options()[0]);
    key(options()[0], 'Enter');
    expect(selected).toEqual([id(1)]);
    key(options()[0], 'End');
    await fixture.whenStable();
    expect(document.activeElement).toBe(options()[2]);
  });
});
