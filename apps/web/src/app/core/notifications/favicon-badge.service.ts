import { DOCUMENT, inject, Injectable } from '@angular/core';

const SIZE = 64;

/**
 * Draws the unread count on the favicon (a red badge over the app's icon, on a canvas) and puts the
 * original icon back at zero. Browsers without a 2D canvas keep the plain icon.
 */
@Injectable({ providedIn: 'root' })
export class FaviconBadgeService {
  private readonly document = inject(DOCUMENT);
  private original: { href: string; type: string | null } | null = null;
  private icon: Promise<HTMLImageElement | null> | null = null;
  /** Bumped by every `show()`: a drawing that finishes after a newer call is dropped. */
  private generation = 0;

  show(count: number): void {
    const link = this.link();
    if (!link) return;
    this.original ??= { href: link.getAttribute('href') ?? '', type: link.getAttribute('type') };
    const generation = ++this.generation;
    if (count <= 0) {
      this.apply(link, this.original.href, this.original.type);
      return;
    }
    void this.draw(count).then((dataUrl) => {
      if (dataUrl && generation === this.generation) this.apply(link, dataUrl, 'image/png');
    });
  }

  private link(): HTMLLinkElement | null {
    return this.document.head.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  }

  private apply(link: HTMLLinkElement, href: string, type: string | null): void {
    if (link.getAttribute('href') === href) return;
    link.setAttribute('href', href);
    if (type) link.setAttribute('type', type);
    else link.removeAttribute('type');
  }

  private async draw(count: number): Promise<string | null> {
    const canvas = this.document.createElement('canvas');
    canvas.width = SIZE;
    canvas.height = SIZE;
    const context = canvasContext(canvas);
    if (!context) return null;
    const icon = await this.loadIcon();
    if (icon) context.drawImage(icon, 0, 0, SIZE, SIZE);
    const label = count > 9 ? '9+' : String(count);
    const radius = SIZE * 0.3;
    const cx = SIZE - radius;
    const cy = radius;
    context.beginPath();
    context.arc(cx, cy, radius, 0, Math.PI * 2);
    context.fillStyle = '#d32f2f';
    context.fill();
    context.lineWidth = SIZE * 0.05;
    context.strokeStyle = '#ffffff';
    context.stroke();
    context.fillStyle = '#ffffff';
    context.font = `bold ${Math.round(radius * (label.length > 1 ? 1.05 : 1.4))}px system-ui, sans-serif`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(label, cx, cy + 1);
    try {
      return canvas.toDataURL('image/png');
    } catch {
      return null;
    }
  }

  /** The original icon as an image, loaded once (same origin, so the canvas stays readable). */
  private loadIcon(): Promise<HTMLImageElement | null> {
    const href = this.original?.href;
    if (!href) return Promise.resolve(null);
    this.icon ??= new Promise((resolve) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => resolve(null);
      image.src = new URL(href, this.document.baseURI).href;
    });
    return this.icon;
  }
}

function canvasContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}
