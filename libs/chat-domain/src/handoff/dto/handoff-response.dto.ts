import { ApiProperty } from '../../openapi/api-docs';

export class StaffMemberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Lucía Fernández Ruiz' }) full_name!: string;
  @ApiProperty({ nullable: true, type: String, example: 'soporte1' }) username!: string | null;
  @ApiProperty({ example: 'soporte' }) role!: string;
  @ApiProperty({ description: 'Su rol está en SUPPORT_CHAT_COORDINATOR_ROLES: recibe conversaciones turnadas.' }) is_coordinator!: boolean;
  @ApiProperty({ description: 'Tiene el chat abierto ahora (conexión en tiempo real).' }) online!: boolean;
  @ApiProperty({ description: 'Conversaciones abiertas asignadas a esta persona.' }) open_conversations!: number;
}

export class StaffDirectoryDto {
  @ApiProperty({ type: [StaffMemberDto], description: 'Equipo activo: primero quienes están en línea, luego por carga y nombre.' })
  staff!: StaffMemberDto[];
}
