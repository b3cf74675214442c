import { Transform } from 'class-transformer';
import { IsBoolean, IsUUID } from 'class-validator';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

/** `join`, `leave` and `presence` bodies. */
export class SocketConversationDto {
  @Transform(lowerCase)
  @IsUUID('all')
  conversation_id!: string;
}

/** `typing` body. */
export class SocketTypingDto extends SocketConversationDto {
  @IsBoolean()
  is_typing!: boolean;
}
