import { ApiProperty, ApiPropertyOptional } from '@support-chat/chat-domain';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { UserEntity } from '../user.entity';

/** The signed-in user's own profile (`/auth/me`, login). */
export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'candidato1' })
  username!: string;

  @ApiProperty({ example: 'Ana López Hernández' })
  full_name!: string;

  @ApiProperty({ example: 'ana.lopez@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'CURP (Clave Única de Registro de Población).' })
  curp!: string | null;

  @ApiProperty({ example: 'candidato' })
  role!: string;

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;
}

export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    username: user.username,
    full_name: user.fullName,
    email: user.email,
    phone: user.phone,
    curp: user.curp,
    role: user.role,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
  };
}

/** A directory entry as staff see it. */
export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'candidato1' })
  username!: string;

  @ApiProperty({ example: 'Ana López Hernández' })
  full_name!: string;

  @ApiProperty({ example: 'ana.lopez@example.com' })
  email!: string;

  @ApiProperty({ example: 'candidato' })
  role!: string;
}

export function toUserSummaryDto(user: UserEntity): UserSummaryDto {
  return { id: user.id, username: user.username, full_name: user.fullName, email: user.email, role: user.role };
}

export class UserListDto {
  @ApiProperty({ type: [UserSummaryDto] })
  users!: UserSummaryDto[];
}

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** `context` carries the stable detail code and Spanish text read by the chat's validation pipe. */
const ctx = (code: string, message: string) => ({ context: { code, message } });

export class ListUsersQueryDto {
  @ApiPropertyOptional({ description: 'Filtra por rol (uno de los roles del chat).', example: 'candidato', maxLength: 32 })
  @IsOptional()
  @Transform(trim)
  @IsString(ctx('invalid_role', 'El rol debe ser texto.'))
  @MaxLength(32, ctx('invalid_role', 'El rol admite como máximo 32 caracteres.'))
  role?: string;

  @ApiPropertyOptional({ description: 'Texto a buscar en nombre, usuario o correo (sin distinguir mayúsculas).', example: 'lopez', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString(ctx('invalid_search', 'La búsqueda debe ser texto.'))
  @MaxLength(100, ctx('search_too_long', 'La búsqueda admite como máximo 100 caracteres.'))
  search?: string;

  @ApiPropertyOptional({ description: 'Máximo de resultados (1-100).', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsInt(ctx('invalid_limit', 'El límite debe ser un número entero.'))
  @Min(1, ctx('invalid_limit', 'El límite mínimo es 1.'))
  @Max(100, ctx('invalid_limit', 'El límite máximo es 100.'))
  limit?: number;
}
