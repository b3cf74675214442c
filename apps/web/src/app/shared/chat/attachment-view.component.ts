import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, input } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

import type { AttachmentDto } from '@app/api/models';
import { isImageAttachment, safeAttachmentUrl } from './attachment-url';
import { formatBytes } from './chat-labels';
import { ImageLightboxComponent, ImageLightboxData } from './image-lightbox.component';

/**
 * An attachment: images as a thumbnail that opens a lightbox (the link still opens the file in a new
 * tab with a modifier key or the middle button), anything else as a download chip
 * with name and size. Links only for safe URLs (see `safeAttachmentUrl`); all text is interpolated,
 * never HTML.
 */
@Component({
  selector: 'app-attachment-view',
  imports: [MatIconModule],
  template: `
    @let file = attachment();
    @if (url(); as href) {
      @if (image()) {
        <a
          class="thumbnail"
          [href]="href"
          target="_blank"
          rel="noopener noreferrer"
          aria-haspopup="dialog"
          data-testid="attachment-thumbnail"
          [attr.aria-label]="'Abrir imagen ' + name()"
          (click)="openLightbox($event, href)"
        >
          <img [src]="href" [alt]="name()" loading="lazy" />
        </a>
      } @else {
        <a class="chip" [href]="href" target="_blank" rel="noopener noreferrer" download>
          <mat-icon svgIcon="description" aria-hidden="true" />
          <span class="cdk-visually-hidden">Descargar </span>
          <span class="name">{{ name() }}</span>
          <span class="size">{{ size() }}</span>
          <mat-icon svgIcon="download" aria-hidden="true" />
        </a>
      }
    } @else {
      <span class="chip unsafe" [title]="file.url">
        <mat-icon svgIcon="block" aria-hidden="true" />
        <span class="name">{{ name() }}</span>
        <span class="size">{{ size() }} · enlace no permitido</span>
      </span>
    }
  `,
  styles: `
    :host {
      display: block;
      max-width: 100%;
    }
    .thumbnail img {
      display: block;
      max-width: min(280px, 100%);
      max-height: 220px;
      border-radius: 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface);
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      max-width: 100%;
      padding: 6px 10px;
      border-radius: 8px;
      background: var(--mat-sys-surface);
      border: 1px solid var(--mat-sys-outline-variant);
      color: var(--mat-sys-on-surface);
      text-decoration: none;
      box-sizing: border-box;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 500;
    }
    .size {
      flex: none;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .unsafe {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttachmentViewComponent {
  private readonly origin = inject(DOCUMENT).location?.origin ?? null;
  private readonly dialog = inject(MatDialog);

  readonly attachment = input.required<AttachmentDto>();

  protected readonly url = computed(() => safeAttachmentUrl(this.attachment().url, this.origin));
  protected readonly image = computed(() => isImageAttachment(this.attachment()));
  protected readonly name = computed(() => this.attachment().name || 'archivo');
  protected readonly size = computed(() => formatBytes(this.attachment().size_bytes));

  protected openLightbox(event: MouseEvent, url: string): void {
    // Ctrl/Cmd/Shift-click and the middle button keep the browser's own "open in a new tab".
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.dialog.open<ImageLightboxComponent, ImageLightboxData>(ImageLightboxComponent, {
      data: { url, name: this.name() },
      maxWidth: '95vw',
      panelClass: 'image-lightbox-panel',
      ariaLabel: `Imagen ${this.name()}`,
      autoFocus: 'dialog',
    });
  }
}
