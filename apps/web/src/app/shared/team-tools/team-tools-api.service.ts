import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { Api } from '@app/api/api';
import {
  labelsControllerAdd,
  labelsControllerCreate,
  labelsControllerList,
  labelsControllerRemove,
  labelsControllerRemoveFromConversation,
  labelsControllerUpdate,
  quickRepliesControllerCreate,
  quickRepliesControllerList,
  quickRepliesControllerRemove,
  quickRepliesControllerUpdate,
} from '@app/api/functions';
import type {
  CreateLabelDto,
  CreateQuickReplyDto,
  LabelDto,
  LabelListDto,
  QuickReplyDto,
  QuickReplyListDto,
  UpdateLabelDto,
  UpdateQuickReplyDto,
} from '@app/api/models';

/** Quick replies and labels (staff only), on the client generated from `openapi.json`. */
@Injectable({ providedIn: 'root' })
export class TeamToolsApiService {
  private readonly api = inject(Api);

  /** The caller's and the team's replies; with a conversation, each with `rendered_body` (variables filled in). */
  quickReplies(query: { conversation_id?: string; search?: string } = {}): Observable<QuickReplyListDto> {
    return this.api.invoke(quickRepliesControllerList, query);
  }

  createQuickReply(body: CreateQuickReplyDto): Observable<QuickReplyDto> {
    return this.api.invoke(quickRepliesControllerCreate, { body }).pipe(map((response) => response.quick_reply));
  }

  updateQuickReply(quickReplyId: string, body: UpdateQuickReplyDto): Observable<QuickReplyDto> {
    return this.api.invoke(quickRepliesControllerUpdate, { quickReplyId, body }).pipe(map((response) => response.quick_reply));
  }

  deleteQuickReply(quickReplyId: string): Observable<void> {
    return this.api.invoke(quickRepliesControllerRemove, { quickReplyId });
  }

  labels(): Observable<LabelListDto> {
    return this.api.invoke(labelsControllerList);
  }

  createLabel(body: CreateLabelDto): Observable<LabelDto> {
    return this.api.invoke(labelsControllerCreate, { body }).pipe(map((response) => response.label));
  }

  updateLabel(labelId: string, body: UpdateLabelDto): Observable<LabelDto> {
    return this.api.invoke(labelsControllerUpdate, { labelId, body }).pipe(map((response) => response.label));
  }

  deleteLabel(labelId: string): Observable<void> {
    return this.api.invoke(labelsControllerRemove, { labelId });
  }

  /** Puts the label on the conversation (`on`) or takes it off; the conversation's labels afterwards. */
  setLabel(conversationId: string, labelId: string, on: boolean): Observable<LabelDto[]> {
    const call = on ? labelsControllerAdd : labelsControllerRemoveFromConversation;
    return this.api.invoke(call, { conversationId, labelId }).pipe(map((response) => response.labels));
  }
}
