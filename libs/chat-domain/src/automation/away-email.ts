import { escapeHtml } from '../domain/html';

export interface AwayEmailReply {
  author: string;
  content: string | null;
  attachmentName: string | null;
}

export interface AwayEmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The Spanish e-mail telling a candidate that support answered while they were away. */
export function renderAwayEmail(input: {
  candidateName: string;
  conversationSubject: string | null;
  replies: AwayEmailReply[];
  link: string;
}): AwayEmailContent {
  const topic = input.conversationSubject?.trim() ? `«${input.conversationSubject.trim()}»` : 'tu conversación con soporte';
  const subject = input.conversationSubject?.trim() ? `Soporte te respondió: ${input.conversationSubject.trim()}` : 'Soporte te respondió en el chat';
  const lineOf = (reply: AwayEmailReply): string =>
    [reply.content ?? '', reply.attachmentName ? `[Archivo adjunto: ${reply.attachmentName}]` : ''].filter((part) => part.length > 0).join('\n');
  const intro =
    input.replies.length === 1
      ? `El equipo de soporte respondió en ${topic} y todavía no has leído la respuesta.`
      : `El equipo de soporte te envió ${input.replies.length} mensajes en ${topic} que todavía no has leído.`;

  const text = [
    `Hola, ${input.candidateName}:`,
    '',
    intro,
    '',
    ...input.replies.flatMap((reply) => [`${reply.author} escribió:`, lineOf(reply), '']),
    `Abre la conversación para responder: ${input.link}`,
    '',
    'Si prefieres no recibir estos correos, desactívalos en tu perfil («Avisarme por correo»).',
  ].join('\n');

  const html = `<!doctype html>
<html lang="es-MX"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2937;">
<p>Hola, ${escapeHtml(input.candidateName)}:</p>
<p>${escapeHtml(intro)}</p>
${input.replies
  .map(
    (reply) =>
      `<blockquote style="border-left: 3px solid #2563eb; margin: 0 0 12px; padding: 4px 12px;"><strong>${escapeHtml(reply.author)}</strong><br>${escapeHtml(
        lineOf(reply),
      ).replace(/\n/g, '<br>')}</blockquote>`,
  )
  .join('\n')}
<p><a href="${escapeHtml(input.link)}">Abrir la conversación</a></p>
<p style="font-size: 12px; color: #6b7280;">Si prefieres no recibir estos correos, desactívalos en tu perfil («Avisarme por correo»).</p>
</body></html>`;
  return { subject, text, html };
}
