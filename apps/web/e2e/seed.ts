/**
 * Realistic content for the browser tests, written through the real API (and, for a user with a long
 * name, one row in the e2e server's SQLite file: the demo host has no sign-up).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { PASSWORD } from './browser';
import { readState } from './e2e-server';

export const LONG_NAME_USERNAME = 'candidata.nombre.largo';
export const LONG_NAME = 'María de los Ángeles Guadalupe Fernández-Villaseñor de la Concepción Martínez';
export const LONG_SUBJECT =
  'No puedo iniciar el examen de certificación en administración de proyectos porque la cámara no se detecta y el cronómetro sigue corriendo';
/** 200+ characters with an unbroken word, a URL, emoji and accents: what overflows naive layouts. */
export const LONG_MESSAGE =
  'Hola, intenté entrar tres veces y siempre sale el error ERR_CAMERA_NOT_FOUND_0xC00D36B4_ENUMERATION_FAILED_RETRY_LATER_PLEASE_CONTACT_SUPPORT ' +
  'al dar clic en «Iniciar examen» 😟📷. Ya revisé https://soporte.ejemplo.com/ayuda/examenes/requisitos-tecnicos/camara-y-microfono?origen=portal&paso=3 ' +
  'y sigo igual. ¿Me pueden ayudar antes de que cierre la ventana de las 18:00? 🙏';

export async function apiLogin(username: string): Promise<string> {
  const { baseUrl } = readState();
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const { baseUrl } = readState();
  const response = await fetch(`${baseUrl}/api/support/chat${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function createConversation(token: string, subject: string): Promise<string> {
  const created = await api<{ conversation: { id: string } }>(token, 'POST', '/conversations', { subject });
  return created.conversation.id;
}

export async function sendMessage(token: string, conversationId: string, content: string): Promise<void> {
  await api(token, 'POST', `/conversations/${conversationId}/messages`, { content, client_message_id: randomUUID() });
}

/** A candidate whose name is long (see `addCandidate`). */
export function addLongNamedCandidate(): void {
  addCandidate(LONG_NAME_USERNAME, LONG_NAME, 'maria.de.los.angeles.fernandez.villasenor@correo-institucional-muy-largo.example.com');
}

/**
 * Adds a candidate with the demo password (its hash copied from `candidato1`) to the running e2e
 * server's database. Idempotent.
 */
export function addCandidate(username: string, fullName: string, email = `${username}@example.com`): void {
  addUser(username, fullName, 'candidato', email);
}

/** Adds a user with `role` (e.g. `soporte`, `coordinator`) and the demo password; returns its id. Idempotent. */
export function addUser(username: string, fullName: string, role: string, email = `${username}@example.com`): string {
  const db = new Database(join(readState().dir, 'e2e.sqlite'));
  try {
    const exists = db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: string } | undefined;
    if (exists) return exists.id;
    const template = db.prepare('SELECT password_hash, created_at FROM users WHERE username = ?').get('candidato1') as {
      password_hash: string;
      created_at: string;
    };
    const id = randomUUID();
    db.prepare(
      'INSERT INTO users (id, username, full_name, email, phone, curp, role, is_active, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1, ?, ?)',
    ).run(id, username, fullName, email, role, template.password_hash, template.created_at);
    return id;
  } finally {
    db.close();
  }
}

/**
 * Other browser test files sign in as `soporte1` and expect its unread total to reach zero: marks the
 * conversations of the candidates matching `search` read for it.
 */
export async function markReadForSoporte1(search: string): Promise<void> {
  const token = await apiLogin('soporte1');
  const list = await api<{ conversations: { id: string }[] }>(token, 'GET', `/conversations?search=${encodeURIComponent(search)}&per_page=100`);
  for (const { id } of list.conversations) await api(token, 'POST', `/conversations/${id}/read`, {});
}
