/**
 * `@support-chat/chat-contract`: the wire types shared by the chat module (`libs/chat-domain`) and the
 * web app. Types only, and it imports nothing: both sides use `import type` from it, so it adds no code
 * to either build. The REST client stays generated from `openapi.json`.
 */
export type * from './audit';
export type * from './errors';
export type * from './quick-replies-and-labels';
export type * from './realtime';
