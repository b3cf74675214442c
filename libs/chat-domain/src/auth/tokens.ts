/** Injection token for the host's authentication guard instance. */
export const SUPPORT_CHAT_HOST_AUTH_GUARD = Symbol('SUPPORT_CHAT_HOST_AUTH_GUARD');
