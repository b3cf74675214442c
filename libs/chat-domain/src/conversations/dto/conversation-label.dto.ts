import { ApiProperty } from '../../openapi/api-docs';

import { SupportLabelEntity } from '../../persistence/entities';

/** A label as staff see it (candidates never receive labels). */
export class LabelDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Pago' }) name!: string;
  @ApiProperty({ example: '#1e88e5', description: 'Color `#rrggbb`.' }) color!: string;
  @ApiProperty({ description: 'Orden en las listas (menor primero).' }) position!: number;
}

export const toLabelDto = (label: SupportLabelEntity): LabelDto => ({ id: label.id, name: label.name, color: label.color, position: label.position });
