import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

export interface ImageLightboxData {
  /** A URL already checked by `safeAttachmentUrl`. */
  readonly url: string;
  readonly name: string;
}

/**
 * An image attachment at full size over the page (Material dialog: focus trapped, Escape or the
 * backdrop closes it, focus returns to the thumbnail), with a link to open it in a new tab.
 */
@Component({
  selector: 'app-image-lightbox',
  imports: [MatButtonModule, MatDialogModule, MatIconModule],
  template: `
    <div class="bar">
      <h2 class="name" mat-dialog-title>{{ data.name }}</h2>
      <a mat-button [href]="data.url" target="_blank" rel="noopener noreferrer" data-testid="lightbox-open-tab">Abrir en otra pestaña</a>
      <button mat-icon-button type="button" mat-dialog-close aria-label="Cerrar" data-testid="lightbox-close">
        <mat-icon svgIcon="close" aria-hidden="true" />
      </button>
    </div>
    <img class="image" [src]="data.url" [alt]="data.name" data-testid="lightbox-image" />
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      max-height: 90vh;
      background: var(--mat-sys-surface);
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 4px 4px 4px 0;
    }
    .name {
      flex: 1 1 auto;
      min-width: 0;
      margin: 0;
      padding: 8px 16px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font: var(--mat-sys-title-small);
    }
    .name::before {
      display: none;
    }
    .image {
      display: block;
      max-width: min(90vw, 1200px);
      max-height: calc(90vh - 56px);
      margin: 0 auto;
      object-fit: contain;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImageLightboxComponent {
  protected readonly data = inject<ImageLightboxData>(MAT_DIALOG_DATA);
}
