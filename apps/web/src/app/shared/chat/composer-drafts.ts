import { DOCUMENT, inject, Injectable } from '@angular/core';

const PREFIX = 'support-chat.draft.';

/**
 * Unsent text per conversation, in `sessionStorage`: it survives switching conversations (the composer
 * is destroyed while the next one loads) and reloads of the tab, and goes away with the tab or at
 * sign-out. Storage that is full or disabled only means drafts are not kept.
 */
@Injectable({ providedIn: 'root' })
export class ComposerDrafts {
  private readonly storage: Storage | null = inject(DOCUMENT).defaultView?.sessionStorage ?? null;

  get(conversationId: string): string {
    try {
      return this.storage?.getItem(PREFIX + conversationId) ?? '';
    } catch {
      return '';
    }
  }

  set(conversationId: string, text: string): void {
    try {
      if (text) this.storage?.setItem(PREFIX + conversationId, text);
      else this.storage?.removeItem(PREFIX + conversationId);
    } catch {
      // Not kept; the text box still holds it.
    }
  }

  /** At sign-out: the next person in this tab never sees them. */
  clear(): void {
    try {
      const storage = this.storage;
      if (!storage) return;
      const keys = Array.from({ length: storage.length }, (_, index) => storage.key(index)).filter((key): key is string => !!key?.startsWith(PREFIX));
      for (const key of keys) storage.removeItem(key);
    } catch {
      // Nothing to clear.
    }
  }
}
