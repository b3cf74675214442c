import { HttpStatus, Injectable } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { escapeHtml } from '../domain/html';
import { SYSTEM_SENDER, SYSTEM_SENDER_ID } from '../domain/system-sender';
import { ConversationsService } from '../conversations/conversations.service';
import { STATUS_LABELS } from '../conversations/conversation.policy';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { SupportMessageEntity } from '../persistence/entities';
import { TimelineRepository } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';

/** Message types only staff may see (internal notes): never in a candidate's transcript. */
export const STAFF_ONLY_MESSAGE_TYPES: readonly string[] = ['note'];

export const DEFAULT_TRANSCRIPT_TIME_ZONE = 'America/Mexico_City';

export interface Transcript {
  filename: string;
  html: string;
}

/** The time zone as `Intl` knows it, or a 400 `invalid_time_zone`. */
export function validTimeZone(timeZone: string | undefined): string {
  const zone = timeZone?.trim() || DEFAULT_TRANSCRIPT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat('es-MX', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ChatError(
      ChatErrorCode.InvalidTimeZone,
      `La zona horaria «${zone.slice(0, 64)}» no es válida. Usa un nombre como America/Mexico_City.`,
      HttpStatus.BAD_REQUEST,
      [{ field: 'tz', code: ChatErrorCode.InvalidTimeZone, message: 'Zona horaria IANA desconocida.' }],
    );
  }
}

/** "1.2 MB": an attachment's size for people. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return 'tamaño desconocido';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString('es-MX', { maximumFractionDigits: 1 })} ${units[unit]}`;
}

/**
 * A conversation as one self-contained, printable HTML page (issue 17): names, times in the viewer's
 * zone, every message and status line, attachments listed by name and size. Candidates get only their
 * own conversations (404 otherwise) and never staff-only entries.
 */
@Injectable()
export class TranscriptService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly timeline: TimelineRepository,
    private readonly users: UserLookup,
  ) {}

  async render(actor: ChatActor, conversationId: string, timeZone: string | undefined, now: Date = new Date()): Promise<Transcript> {
    const zone = validTimeZone(timeZone);
    const conversation = await this.conversations.findVisible(actor, conversationId);
    const entries = (await this.timeline.range(conversation.id, 1, conversation.lastMessageSeq)).filter(
      (entry) => actor.kind === 'staff' || !STAFF_ONLY_MESSAGE_TYPES.includes(entry.messageType),
    );
    const users = await this.users.byIds([conversation.candidateUserId, conversation.assignedSupportUserId, ...entries.map((entry) => entry.senderUserId)]);
    const nameOf = (userId: string | null): string =>
      userId === null ? 'Sin asignar' : userId === SYSTEM_SENDER_ID ? SYSTEM_SENDER.full_name : (users.get(userId)?.full_name ?? 'Usuario no disponible');
    const time = new Intl.DateTimeFormat('es-MX', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
    const title = conversation.subject ? `Conversación con soporte: ${conversation.subject}` : 'Conversación con soporte';

    const row = (entry: SupportMessageEntity): string => {
      const when = `<time datetime="${entry.createdAt.toISOString()}">${escapeHtml(time.format(entry.createdAt))}</time>`;
      if (entry.messageType === 'system') {
        return `<li class="system">${when} · ${escapeHtml(entry.content ?? '')}</li>`;
      }
      const role = entry.senderUserId === conversation.candidateUserId ? 'Candidato' : 'Soporte';
      const note = STAFF_ONLY_MESSAGE_TYPES.includes(entry.messageType) ? ' <span class="badge">Nota interna</span>' : '';
      const attachment =
        entry.attachmentUrl !== null
          ? `<p class="attachment">Archivo adjunto: ${escapeHtml(entry.attachmentName ?? 'sin nombre')} (${escapeHtml(formatBytes(entry.attachmentSizeBytes))})</p>`
          : '';
      const content = entry.content ? `<p class="content">${escapeHtml(entry.content)}</p>` : '';
      return `<li class="message"><p class="meta"><strong>${escapeHtml(nameOf(entry.senderUserId))}</strong> (${role})${note} · ${when}</p>${content}${attachment}</li>`;
    };

    const html = `<!doctype html>
<html lang="es-MX">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; color: #111827; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
  dt { font-weight: bold; }
  ol { list-style: none; padding: 0; }
  li { border-top: 1px solid #e5e7eb; padding: 0.5rem 0; break-inside: avoid; }
  .meta { margin: 0 0 0.25rem; color: #374151; font-size: 0.9rem; }
  .content { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .attachment { margin: 0.25rem 0 0; font-style: italic; }
  .system { color: #6b7280; font-style: italic; font-size: 0.9rem; }
  .badge { background: #fef3c7; border-radius: 4px; padding: 0 4px; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<dl>
  <dt>Candidato</dt><dd>${escapeHtml(nameOf(conversation.candidateUserId))}</dd>
  <dt>Atiende</dt><dd>${escapeHtml(nameOf(conversation.assignedSupportUserId))}</dd>
  <dt>Estado</dt><dd>${escapeHtml(STATUS_LABELS[conversation.status])}</dd>
  <dt>Creada</dt><dd>${escapeHtml(time.format(conversation.createdAt))}</dd>
  <dt>Descargada</dt><dd>${escapeHtml(time.format(now))}</dd>
  <dt>Zona horaria</dt><dd>${escapeHtml(zone)}</dd>
</dl>
<ol>
${entries.map(row).join('\n')}
</ol>
</body>
</html>
`;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    return { filename: `conversacion-${conversation.id.slice(0, 8)}-${day}.html`, html };
  }
}
