import { Injectable } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { SupportChatPreferenceEntity } from '../persistence/entities';
import { AutomationRepository } from '../persistence/repositories';
import { ChatPreferencesDto, UpdateChatPreferencesDto } from './dto/preferences.dto';

/** A user's chat preferences; without a saved row, the defaults. */
@Injectable()
export class PreferencesService {
  constructor(private readonly automation: AutomationRepository) {}

  async get(actor: ChatActor): Promise<ChatPreferencesDto> {
    const saved = await this.automation.preference(actor.id);
    return { email_when_away: saved ? saved.emailWhenAway === 1 : true };
  }

  async update(actor: ChatActor, input: UpdateChatPreferencesDto): Promise<ChatPreferencesDto> {
    await this.automation.savePreference(
      Object.assign(new SupportChatPreferenceEntity(), { userId: actor.id, emailWhenAway: input.email_when_away ? 1 : 0, updatedAt: new Date() }),
    );
    return this.get(actor);
  }
}
