/** The host's TypeORM DataSource, as seen by the chat module. */
export const CHAT_DATA_SOURCE = Symbol('CHAT_DATA_SOURCE');
