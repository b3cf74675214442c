import { Provider, Type } from '@nestjs/common';

/** Every service of the chat; filled in as features land. */
export const SUPPORT_CHAT_PROVIDERS: Provider[] = [];
export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [];
