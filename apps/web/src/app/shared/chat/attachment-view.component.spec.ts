import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideAppIcons } from '@app/core/icons/app-icons';

import type { AttachmentDto } from '@app/api/models';
import { safeAttachmentUrl } from './attachment-url';
import { AttachmentViewComponent } from './attachment-view.component';

describe('safeAttachmentUrl', () => {
  const origin = 'http://localhost:3000';

  it.each([
    ['https://files.example.com/a.png', 'https://files.example.com/a.png'],
    ['http://localhost:3000/api/uploads/x/a.png', 'http://localhost:3000/api/uploads/x/a.png'],
    ['http://evil.example.com/a.png', null],
    ['javascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['https://user:pw@files.example.com/a.png', null],
    ['not a url', null],
  ])('%s -> %s', (url, expected) => {
    expect(safeAttachmentUrl(url, origin)).toBe(expected);
  });
});

describe('AttachmentViewComponent', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideAppIcons()] }));

  async function render(attachment: AttachmentDto): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(AttachmentViewComponent);
    fixture.componentRef.setInput('attachment', attachment);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows images as a thumbnail', async () => {
    const element = await render({ url: 'https://files.example.com/c.png', name: 'captura.png', mime_type: 'image/png', size_bytes: 2048 });
    expect(element.querySelector('img')!.getAttribute('src')).toBe('https://files.example.com/c.png');
    expect(element.querySelector('img')!.getAttribute('alt')).toBe('captura.png');
  });

  it('opens an image in a lightbox on a plain click, and leaves modified clicks to the browser', async () => {
    const element = await render({ url: 'https://files.example.com/c.png', name: 'captura.png', mime_type: 'image/png', size_bytes: 2048 });
    const thumbnail = element.querySelector<HTMLAnchorElement>('[data-testid="attachment-thumbnail"]')!;
    const ctrlClick = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
    thumbnail.dispatchEvent(ctrlClick);
    expect(ctrlClick.defaultPrevented).toBe(false);
    expect(document.querySelector('[data-testid="lightbox-image"]')).toBeNull();

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    thumbnail.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await TestBed.inject(ApplicationRef).whenStable();
    const image = document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]')!;
    expect(image.getAttribute('src')).toBe('https://files.example.com/c.png');
    expect(image.getAttribute('alt')).toBe('captura.png');
    const openTab = document.querySelector('[data-testid="lightbox-open-tab"]')!;
    expect([openTab.getAttribute('target'), openTab.getAttribute('rel')]).toEqual(['_blank', 'noopener noreferrer']);
    TestBed.inject(MatDialog).closeAll();
  });

  it('shows other files as a download chip with name and size', async () => {
    const element = await render({ url: 'https://files.example.com/acta.pdf', name: 'acta.pdf', mime_type: 'application/pdf', size_bytes: 1536 * 1024 });
    const link = element.querySelector('a')!;
    expect(link.textContent).toContain('acta.pdf');
    expect(link.textContent).toContain('1.5 MB');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('never links an unsafe URL', async () => {
    const element = await render({ url: 'javascript:alert(1)', name: '<b>x</b>.png', mime_type: 'image/png', size_bytes: 10 });
    expect(element.querySelector('a, img')).toBeNull();
    expect(element.textContent).toContain('<b>x</b>.png');
    expect(element.textContent).toContain('enlace no permitido');
  });
});
