import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ErrorResponseDto } from '@support-chat/chat-domain';

import { Authenticated } from '../auth/auth.decorators';
import { HOST_CHAT_ROLES, type HostChatRoles } from '../config/api-config.module';
import { ListUsersQueryDto, toUserSummaryDto, UserListDto } from './dto/user.dto';
import { UsersService } from './users.service';

const DEFAULT_LIMIT = 20;

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    @Inject(HOST_CHAT_ROLES) private readonly roles: HostChatRoles,
  ) {}

  @Get()
  @Authenticated({ staffOnly: true })
  @ApiOperation({
    summary: 'Busca usuarios activos del chat (solo soporte, admin y developer).',
    description: 'Sin `role`, busca entre todos los roles del chat. Un rol ajeno al chat devuelve una lista vacía.',
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiBadRequestResponse({ description: 'Parámetros inválidos (`validation_failed`).', type: ErrorResponseDto })
  async list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    const chatRoles = [...this.roles.candidateRoles, ...this.roles.staffRoles];
    const roles = query.role ? chatRoles.filter((role) => role === query.role) : chatRoles;
    const users = await this.users.search({ roles, search: query.search, limit: query.limit ?? DEFAULT_LIMIT });
    return { users: users.map(toUserSummaryDto) };
  }
}
