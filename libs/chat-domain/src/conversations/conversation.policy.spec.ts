import { ChatActor } from '../auth/chat-actor';
import { ChatError } from '../errors/chat-error';
import { ConversationPolicy } from './conversation.policy';
import { ConversationStatus } from '../domain/conversation-status';

const candidate: ChatActor = { id: 'c1', role: 'candidato', full_name: 'Carla', kind: 'candidate' };
const otherCandidate: ChatActor = { id: 'c2', role: 'candidato', full_name: 'Carlos', kind: 'candidate' };
const staff: ChatActor = { id: 's1', role: 'soporte', full_name: 'Sofía', kind: 'staff' };
const conversation = (status: ConversationStatus = 'open') => ({ candidateUserId: 'c1', status });

const errorCode = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return error instanceof ChatError ? `${error.status} ${error.code}` : 'unexpected';
  }
};

describe('ConversationPolicy', () => {
  it('shows a conversation to its candidate and to staff only', () => {
    expect(ConversationPolicy.canView(candidate, conversation())).toBe(true);
    expect(ConversationPolicy.canView(staff, conversation())).toBe(true);
    expect(ConversationPolicy.canView(otherCandidate, conversation())).toBe(false);
    expect(errorCode(() => ConversationPolicy.assertVisible(otherCandidate, conversation()))).toBe('404 conversation_not_found');
    expect(errorCode(() => ConversationPolicy.assertVisible(staff, null))).toBe('404 conversation_not_found');
  });

  it.each([
    // actor, current status, requested status, outcome by default (the spec), outcome with closed final for candidates
    [candidate, 'open', 'resolved', 'allowed', 'allowed'],
    [candidate, 'resolved', 'open', 'allowed', 'allowed'],
    [candidate, 'open', 'closed', '403 status_change_forbidden', '403 status_change_forbidden'],
    [candidate, 'resolved', 'closed', '403 status_change_forbidden', '403 status_change_forbidden'],
    [candidate, 'closed', 'open', 'allowed', '403 status_change_forbidden'],
    [candidate, 'closed', 'resolved', 'allowed', '403 status_change_forbidden'],
    [staff, 'open', 'closed', 'allowed', 'allowed'],
    [staff, 'closed', 'open', 'allowed', 'allowed'],
    [staff, 'resolved', 'closed', 'allowed', 'allowed'],
  ] as const)('%o: %s -> %s is %s (%s when closed is final)', (actor, from, to, byDefault, closedFinal) => {
    expect(errorCode(() => ConversationPolicy.assertCanSetStatus(actor, conversation(from), to, { candidateCanReopenClosed: true }))).toBe(byDefault);
    expect(errorCode(() => ConversationPolicy.assertCanSetStatus(actor, conversation(from), to, { candidateCanReopenClosed: false }))).toBe(closedFinal);
  });

  it('accepts messages unless the conversation is closed', () => {
    expect(errorCode(() => ConversationPolicy.assertCanSend(conversation('open')))).toBe('allowed');
    expect(errorCode(() => ConversationPolicy.assertCanSend(conversation('resolved')))).toBe('allowed');
    expect(errorCode(() => ConversationPolicy.assertCanSend(conversation('closed')))).toBe('409 conversation_closed');
  });
});
