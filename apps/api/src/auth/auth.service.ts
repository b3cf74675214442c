import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { HostErrors } from '../common/host-errors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { toUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { LoginResponseDto } from './dto/login.dto';
import { AccessTokenPayload } from './jwt.strategy';
import { dummyPasswordHash, PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Unknown user and wrong password give the same answer and cost the same time. The inactive check
   * comes after the password so that it reveals nothing to someone who does not know the password.
   */
  async login(username: string, password: string): Promise<LoginResponseDto> {
    const user = await this.users.findByUsername(username);
    const valid = await PasswordHasher.verify(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !valid) throw HostErrors.invalidCredentials();
    if (!user.isActive) throw HostErrors.userInactive();
    const payload: AccessTokenPayload = { sub: user.id };
    return {
      access_token: await this.jwt.signAsync(payload),
      token_type: 'Bearer',
      expires_in: this.config.jwtExpiresInSeconds,
      user: toUserDto(user),
    };
  }
}
