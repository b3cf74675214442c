import { ApiProperty } from '@support-chat/chat-domain';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

import { UserDto } from '../../users/dto/user.dto';

/** `context` carries the stable detail code and Spanish text read by the chat's validation pipe. */
const ctx = (code: string, message: string) => ({ context: { code, message } });

export class LoginDto {
  @ApiProperty({ example: 'candidato1', maxLength: 150 })
  @IsDefined(ctx('username_required', 'El usuario es obligatorio.'))
  @IsString(ctx('invalid_username', 'El usuario debe ser texto.'))
  @IsNotEmpty(ctx('username_required', 'El usuario es obligatorio.'))
  @MaxLength(150, ctx('invalid_username', 'El usuario admite como máximo 150 caracteres.'))
  username!: string;

  @ApiProperty({ example: 'Demo1234!', maxLength: 256 })
  @IsDefined(ctx('password_required', 'La contraseña es obligatoria.'))
  @IsString(ctx('invalid_password', 'La contraseña debe ser texto.'))
  @IsNotEmpty(ctx('password_required', 'La contraseña es obligatoria.'))
  @MaxLength(256, ctx('invalid_password', 'La contraseña admite como máximo 256 caracteres.'))
  password!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'JWT (HS256) para la cabecera `Authorization: Bearer <token>`.' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Segundos de validez del token.', example: 28800 })
  expires_in!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}
