import { Provider, Type } from '@nestjs/common';

import { CandidateActivity } from '../auth/candidate-activity';
import { ChatEventBroker, RedisChatEventBroker } from '../realtime/chat-event-broker';
import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from '../realtime/realtime.config';
import { TranscriptController } from '../transcript/transcript.controller';
import { TranscriptService } from '../transcript/transcript.service';
import { loadAutomationConfig, SUPPORT_CHAT_AUTOMATION_CONFIG, SupportChatAutomationConfig } from './automation.config';
import { AutoResolveJob } from './auto-resolve.job';
import { AwayEmailJob } from './away-email.job';
import { CHAT_NOTIFIER, ChatNotifier, LoggingChatNotifier } from './chat-notifier';
import { ChatPreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';

/** Issue 17 (part 2): jobs, notifier, preferences and transcripts. Needs the module's options token. */
export function automationProviders(optionsToken: symbol, notifier: Type<ChatNotifier> | undefined): Provider[] {
  return [
    {
      provide: SUPPORT_CHAT_AUTOMATION_CONFIG,
      inject: [optionsToken],
      useFactory: (options: { automation?: Partial<SupportChatAutomationConfig>; env?: Record<string, string | undefined> }) =>
        loadAutomationConfig(options.env ?? process.env, options.automation),
    },
    {
      provide: CandidateActivity,
      inject: [ChatEventBroker, SUPPORT_CHAT_REALTIME_CONFIG],
      useFactory: (broker: ChatEventBroker, config: SupportChatRealtimeConfig) =>
        new CandidateActivity(broker instanceof RedisChatEventBroker ? () => broker.commands : null, `${config.redisKeyPrefix}:candidate-activity`),
    },
    { provide: CHAT_NOTIFIER, useClass: notifier ?? LoggingChatNotifier },
    AutoResolveJob,
    AwayEmailJob,
    PreferencesService,
    TranscriptService,
  ];
}

export const SUPPORT_CHAT_AUTOMATION_CONTROLLERS: Type<unknown>[] = [ChatPreferencesController, TranscriptController];
