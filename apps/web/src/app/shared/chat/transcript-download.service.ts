import { DOCUMENT, inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { ChatApiService } from './chat-api.service';

/** The viewer's IANA time zone, for times in the transcript (falls back to the server's default). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Mexico_City';
}

/**
 * Downloads a conversation's transcript (issue 17). The API needs the bearer token, so a plain link
 * cannot fetch it: the HTML is requested through the API client, then saved from a `blob:` URL with
 * the file name the server chose (`Content-Disposition`).
 */
@Injectable({ providedIn: 'root' })
export class TranscriptDownloadService {
  private readonly api = inject(ChatApiService);
  private readonly document = inject(DOCUMENT);

  download(conversationId: string): Observable<string> {
    return this.api.transcript(conversationId, viewerTimeZone()).pipe(
      map(({ filename, html }) => {
        const view = this.document.defaultView;
        if (!view) return filename;
        const url = view.URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
        const link = this.document.createElement('a');
        link.href = url;
        link.download = filename;
        link.rel = 'noopener';
        this.document.body.appendChild(link);
        link.click();
        link.remove();
        view.setTimeout(() => view.URL.revokeObjectURL(url), 0);
        return filename;
      }),
    );
  }
}
