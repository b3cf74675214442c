/**
 * Every `code` the chat answers in `{ error, code, details? }` (REST bodies, socket acknowledgements,
 * `access_revoked`). The server's `ChatErrorCode` enum is checked against this list by the compiler.
 */
export type ChatErrorCodeValue =
  | 'validation_failed'
  | 'unknown_field'
  | 'invalid_json'
  | 'json_too_deep'
  | 'json_too_many_values'
  | 'invalid_content_encoding'
  | 'unsupported_content_encoding'
  | 'unsupported_charset'
  | 'payload_too_large'
  | 'message_empty'
  | 'message_too_long'
  | 'subject_too_long'
  | 'attachment_url_required'
  | 'attachment_url_invalid'
  | 'attachment_url_not_allowed'
  | 'attachment_mime_required'
  | 'attachment_mime_not_allowed'
  | 'attachment_size_invalid'
  | 'attachment_too_large'
  | 'attachment_name_invalid'
  | 'unauthenticated'
  | 'session_expired'
  | 'user_inactive'
  | 'forbidden_role'
  | 'forbidden'
  | 'supervisor_read_only'
  | 'audit_forbidden'
  | 'invalid_audit_cursor'
  | 'reports_forbidden'
  | 'report_range_invalid'
  | 'priority_forbidden'
  | 'status_change_forbidden'
  | 'candidate_required'
  | 'candidate_not_found'
  | 'conversation_not_found'
  | 'conversation_closed'
  | 'message_not_found'
  | 'client_message_id_conflict'
  | 'assignee_not_staff'
  | 'assignee_not_coordinator'
  | 'open_conversation_limit'
  | 'quick_reply_not_found'
  | 'quick_reply_unknown_variable'
  | 'quick_reply_shortcut_taken'
  | 'label_not_found'
  | 'label_name_taken'
  | 'invalid_time_zone'
  | 'search_query_invalid'
  | 'rate_limited'
  | 'too_many_connections'
  | 'not_found'
  | 'service_unavailable'
  | 'rating_not_available'
  | 'rating_window_closed'
  | 'business_hours_invalid'
  | 'internal_error';

export interface ChatErrorDetailBody {
  field: string;
  /** A `ChatErrorCodeValue`, or a field-specific code such as `invalid_status`. */
  code: string;
  message: string;
}

/** The error body of every failed request or socket action (Spanish `error`, stable `code`). */
export interface ChatErrorBodyContract {
  error: string;
  code: ChatErrorCodeValue | `http_${number}`;
  details?: ChatErrorDetailBody[];
}

/** True when both type arguments name the same set (used to tie implementations to this contract). */
export type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
