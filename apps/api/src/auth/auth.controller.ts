import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ErrorResponseDto,
} from '@support-chat/chat-domain';

import { toUserDto, UserDto } from '../users/dto/user.dto';
import { UserEntity } from '../users/user.entity';
import { Authenticated, CurrentUser } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { LoginDto, LoginResponseDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @UseGuards(LoginThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Inicia sesión con usuario y contraseña y devuelve un token de acceso.' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({
    description: 'Cuerpo inválido (`validation_failed`, `invalid_json`, `json_too_deep`, `json_too_many_values`, `invalid_content_encoding`).',
    type: ErrorResponseDto,
  })
  @ApiUnauthorizedResponse({ description: 'Credenciales incorrectas (`invalid_credentials`) o cuenta desactivada (`user_inactive`).', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({
    description: 'Demasiados intentos desde esta dirección o para esta cuenta (`rate_limited`); ver `Retry-After`.',
    type: ErrorResponseDto,
  })
  login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(body.username, body.password);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'Devuelve el perfil del usuario autenticado.' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: UserEntity): UserDto {
    return toUserDto(user);
  }
}
