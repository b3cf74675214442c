import { HttpStatus } from '@nestjs/common';
import type { ChatErrorCodeValue, SameMembers } from '@support-chat/chat-contract';

/**
 * Stable, machine-readable error codes. Clients switch on these; the Spanish `error` text is for
 * people and may change. Never rename a code.
 */
export enum ChatErrorCode {
  ValidationFailed = 'validation_failed',
  UnknownField = 'unknown_field',
  InvalidJson = 'invalid_json',
  JsonTooDeep = 'json_too_deep',
  JsonTooManyValues = 'json_too_many_values',
  InvalidContentEncoding = 'invalid_content_encoding',
  UnsupportedContentEncoding = 'unsupported_content_encoding',
  UnsupportedCharset = 'unsupported_charset',
  PayloadTooLarge = 'payload_too_large',
  MessageEmpty = 'message_empty',
  MessageTooLong = 'message_too_long',
  SubjectTooLong = 'subject_too_long',
  AttachmentUrlRequired = 'attachment_url_required',
  AttachmentUrlInvalid = 'attachment_url_invalid',
  AttachmentUrlNotAllowed = 'attachment_url_not_allowed',
  AttachmentMimeRequired = 'attachment_mime_required',
  AttachmentMimeNotAllowed = 'attachment_mime_not_allowed',
  AttachmentSizeInvalid = 'attachment_size_invalid',
  AttachmentTooLarge = 'attachment_too_large',
  AttachmentNameInvalid = 'attachment_name_invalid',
  Unauthenticated = 'unauthenticated',
  SessionExpired = 'session_expired',
  UserInactive = 'user_inactive',
  ForbiddenRole = 'forbidden_role',
  Forbidden = 'forbidden',
  SupervisorReadOnly = 'supervisor_read_only',
  AuditForbidden = 'audit_forbidden',
  InvalidAuditCursor = 'invalid_audit_cursor',
  ReportsForbidden = 'reports_forbidden',
  ReportRangeInvalid = 'report_range_invalid',
  PriorityForbidden = 'priority_forbidden',
  StatusChangeForbidden = 'status_change_forbidden',
  CandidateRequired = 'candidate_required',
  CandidateNotFound = 'candidate_not_found',
  ConversationNotFound = 'conversation_not_found',
  ConversationClosed = 'conversation_closed',
  MessageNotFound = 'message_not_found',
  ClientMessageIdConflict = 'client_message_id_conflict',
  AssigneeNotStaff = 'assignee_not_staff',
  AssigneeNotCoordinator = 'assignee_not_coordinator',
  OpenConversationLimit = 'open_conversation_limit',
  QuickReplyNotFound = 'quick_reply_not_found',
  QuickReplyUnknownVariable = 'quick_reply_unknown_variable',
  QuickReplyShortcutTaken = 'quick_reply_shortcut_taken',
  LabelNotFound = 'label_not_found',
  LabelNameTaken = 'label_name_taken',
  InvalidTimeZone = 'invalid_time_zone',
  SearchQueryInvalid = 'search_query_invalid',
  RateLimited = 'rate_limited',
  TooManyConnections = 'too_many_connections',
  NotFound = 'not_found',
  ServiceUnavailable = 'service_unavailable',
  RatingNotAvailable = 'rating_not_available',
  RatingWindowClosed = 'rating_window_closed',
  BusinessHoursInvalid = 'business_hours_invalid',
  Internal = 'internal_error',
}

/** The enum is the shared contract's list of codes (`@support-chat/chat-contract`): drift does not compile. */
const _codesMatchContract: SameMembers<`${ChatErrorCode}`, ChatErrorCodeValue> = true;

export interface ChatErrorDetail {
  field?: string;
  code: string;
  message: string;
}

/** JSON body of every error response, from the chat module and from the host alike. */
export interface ChatErrorBody {
  error: string;
  code: string;
  details?: ChatErrorDetail[];
}

/** A chat code, or a host's own code for errors the host raises through the same filter. */
export type ErrorCode = ChatErrorCode | (string & NonNullable<unknown>);

/** A domain rule was broken. Mapped to HTTP in one place (`ChatExceptionFilter`). */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: HttpStatus = HttpStatus.BAD_REQUEST,
    readonly details?: ChatErrorDetail[],
    /** Extra response headers, e.g. `Retry-After` on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ChatError';
  }

  toBody(): ChatErrorBody {
    return { error: this.message, code: this.code, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Factories for the errors that many places raise, so that their text and status stay consistent. */
export const ChatErrors = {
  unauthenticated: () => new ChatError(ChatErrorCode.Unauthenticated, 'Sesión no válida o expirada. Inicia sesión de nuevo.', HttpStatus.UNAUTHORIZED),
  sessionExpired: () => new ChatError(ChatErrorCode.SessionExpired, 'Tu sesión expiró. Inicia sesión de nuevo.', HttpStatus.UNAUTHORIZED),
  userInactive: () => new ChatError(ChatErrorCode.UserInactive, 'Tu cuenta está desactivada.', HttpStatus.UNAUTHORIZED),
  forbiddenRole: () => new ChatError(ChatErrorCode.ForbiddenRole, 'Tu rol no tiene acceso al chat de soporte.', HttpStatus.FORBIDDEN),
  conversationNotFound: () => new ChatError(ChatErrorCode.ConversationNotFound, 'La conversación no existe.', HttpStatus.NOT_FOUND),
  supervisorReadOnly: () =>
    new ChatError(ChatErrorCode.SupervisorReadOnly, 'Modo supervisión: solo lectura. Tu rol puede consultar, pero no hacer cambios.', HttpStatus.FORBIDDEN),
  conversationClosed: () => new ChatError(ChatErrorCode.ConversationClosed, 'La conversación está cerrada; no admite mensajes nuevos.', HttpStatus.CONFLICT),
} as const;
