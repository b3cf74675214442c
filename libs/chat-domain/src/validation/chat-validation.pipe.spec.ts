import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';

import { ListConversationsQueryDto } from '../conversations/dto/conversation-requests.dto';
import { ChatError } from '../errors/chat-error';
import { HistoryQueryDto } from '../messages/dto/message-requests.dto';
import { MarkReadDto } from '../read-state/dto/mark-read.dto';
import { createChatValidationPipe } from './chat-validation.pipe';

describe('createChatValidationPipe: query DTOs seen before', () => {
  const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype, data: undefined });
  // The class-validator run of ValidationPipe: what a query seen before no longer pays for.
  const validations = () => jest.spyOn(ValidationPipe.prototype as unknown as { validate: () => unknown }, 'validate');
  afterEach(() => jest.restoreAllMocks());

  it('gives an equal DTO, a copy of its own, without validating again (on both pipes of a request)', async () => {
    const global = createChatValidationPipe();
    const controller = createChatValidationPipe();
    const raw = { page: '3', per_page: '250', assigned_to_me: 'true', status: 'open' };
    const first = (await global.transform({ ...raw }, query(ListConversationsQueryDto))) as ListConversationsQueryDto;
    expect(first).toBeInstanceOf(ListConversationsQueryDto);
    expect({ ...first }).toEqual({ page: 3, per_page: 100, assigned_to_me: true, status: 'open' });
    expect(await controller.transform(first, query(ListConversationsQueryDto))).toEqual(first);

    const spy = validations();
    const again = (await global.transform({ ...raw }, query(ListConversationsQueryDto))) as ListConversationsQueryDto;
    const againController = (await controller.transform(again, query(ListConversationsQueryDto))) as ListConversationsQueryDto;
    expect(spy).not.toHaveBeenCalled();
    expect(again).toBeInstanceOf(ListConversationsQueryDto);
    expect(againController).toBeInstanceOf(ListConversationsQueryDto);
    expect(again).toEqual(first);
    expect(againController).toEqual(first);
    // Each request owns its DTO: a change to one is not seen by the next.
    expect(again).not.toBe(first);
    again.page = 99;
    expect(((await global.transform({ ...raw }, query(ListConversationsQueryDto))) as ListConversationsQueryDto).page).toBe(3);
  });

  it('validates an invalid query every time, with the same error (code and Spanish message)', async () => {
    const pipe = createChatValidationPipe();
    await pipe.transform({ page: '1' }, query(HistoryQueryDto));
    for (let attempt = 0; attempt < 2; attempt++) {
      const spy = validations();
      const error = (await pipe.transform({ page: '0' }, query(HistoryQueryDto)).catch((caught: unknown) => caught)) as ChatError;
      expect(spy).toHaveBeenCalled();
      expect(error).toBeInstanceOf(ChatError);
      expect(error.code).toBe('invalid_page');
      expect(error.message).toBe('"page" debe ser al menos 1.');
      const unknown = (await pipe.transform({ page: '1', sort: 'x' }, query(HistoryQueryDto)).catch((caught: unknown) => caught)) as ChatError;
      expect(unknown.code).toBe('unknown_field');
      spy.mockRestore();
    }
  });

  it('validates bodies every time', async () => {
    const pipe = createChatValidationPipe();
    const body: ArgumentMetadata = { type: 'body', metatype: MarkReadDto, data: undefined };
    await pipe.transform({}, body);
    const spy = validations();
    expect(await pipe.transform({}, body)).toBeInstanceOf(MarkReadDto);
    expect(spy).toHaveBeenCalled();
  });
});
