import type { QuickReplyDto } from '@app/api/models';
import { filterQuickReplies, quickReplyToken } from './quick-reply-picker';

const reply = (title: string, shortcut: string | null, body = ''): QuickReplyDto => ({
  id: title,
  scope: 'personal',
  title,
  body,
  shortcut,
  position: 0,
  can_edit: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

describe('quick reply picker', () => {
  it('finds the "/" token before the caret, at the start or after a space only', () => {
    expect(quickReplyToken('/', 1)).toEqual({ start: 0, query: '' });
    expect(quickReplyToken('Hola /salu', 10)).toEqual({ start: 5, query: 'salu' });
    expect(quickReplyToken('Hola /salu más', 10)).toEqual({ start: 5, query: 'salu' });
    expect(quickReplyToken('https://example.com', 19)).toBeNull();
    expect(quickReplyToken('a/b', 3)).toBeNull();
    expect(quickReplyToken('/salu hola', 10)).toBeNull();
  });

  it('ranks shortcut matches first, then titles, then text; ignoring case and accents', () => {
    const replies = [reply('Pago pendiente', null, 'Tu pago...'), reply('Saludo', 'hola'), reply('Certificado', 'cert', 'Descarga el certificado de pago')];
    expect(filterQuickReplies(replies, '').map((r) => r.title)).toEqual(['Pago pendiente', 'Saludo', 'Certificado']);
    expect(filterQuickReplies(replies, 'HOL').map((r) => r.title)).toEqual(['Saludo']);
    expect(filterQuickReplies(replies, 'pago').map((r) => r.title)).toEqual(['Pago pendiente', 'Certificado']);
    expect(filterQuickReplies([reply('Sesión', null)], 'sesion').map((r) => r.title)).toEqual(['Sesión']);
    expect(filterQuickReplies(replies, 'zzz')).toEqual([]);
  });
});
