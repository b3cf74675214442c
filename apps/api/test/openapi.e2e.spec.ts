import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderOpenApi } from '../scripts/generate-openapi';

describe('committed openapi.json', () => {
  it('matches the document the code describes (run `npm run openapi:generate` if this fails)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'openapi.json'), 'utf8');
    const rendered = await renderOpenApi();
    if (committed !== rendered) {
      throw new Error('openapi.json is out of date. Run `npm run openapi:generate` and commit openapi.json (then `npm run client:generate`).');
    }
  });

  it('documents bearer auth and the error body on protected host endpoints', async () => {
    const document = JSON.parse(await renderOpenApi()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
    };
    for (const [path, method] of [
      ['/api/auth/me', 'get'],
      ['/api/users', 'get'],
    ] as const) {
      const operation = document.paths[path][method];
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(operation.responses['401'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
    }
    expect(document.paths['/api/auth/login'].post.security).toBeUndefined();
  });

  it('describes every field that may be null as nullable (the generated client then types it `| null`, no casts)', async () => {
    const document = JSON.parse(await renderOpenApi()) as { components: { schemas: Record<string, { properties: Record<string, { nullable?: boolean }> }> } };
    const nullable: Record<string, string[]> = {
      ConversationDto: ['assigned_support_user_id', 'assigned_support_user', 'subject', 'last_message_at'],
      ConversationListItemDto: ['assigned_support_user_id', 'assigned_support_user', 'subject', 'last_message_at', 'last_message'],
      MessageDto: ['content', 'attachment', 'edited_at'],
      AttachmentDto: ['name'],
      MessagePageDto: ['page'],
      ReadStateDto: ['last_read_message_id', 'last_read_at'],
      // Requests: null unassigns.
      UpdateConversationDto: ['assigned_support_user_id'],
    };
    for (const [schema, fields] of Object.entries(nullable)) {
      for (const field of fields)
        expect({ schema, field, nullable: document.components.schemas[schema].properties[field]?.nullable }).toEqual({ schema, field, nullable: true });
    }
  });

  it('says which fields a history page leaves out (optional, never null) and where its senders are', async () => {
    const document = JSON.parse(await renderOpenApi()) as {
      components: {
        schemas: Record<string, { required?: string[]; properties: Record<string, { nullable?: boolean; default?: unknown; additionalProperties?: unknown }> }>;
      };
    };
    const entry = document.components.schemas.PageMessageDto;
    expect([...(entry.required ?? [])].sort()).toEqual(['created_at', 'id', 'sender_user_id', 'seq']);
    for (const field of ['content', 'message_type', 'attachment', 'edited_at']) expect(entry.properties[field]?.nullable).toBeUndefined();
    expect(entry.properties.message_type.default).toBe('text');
    const page = document.components.schemas.MessagePageDto;
    expect(page.required).toEqual(expect.arrayContaining(['users', 'messages', 'conversation_id']));
    expect(page.properties.users.additionalProperties).toEqual({ $ref: '#/components/schemas/PageUserDto' });
  });
});
