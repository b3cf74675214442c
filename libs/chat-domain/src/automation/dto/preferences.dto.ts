import { ApiProperty } from '../../openapi/api-docs';
import { IsBoolean } from 'class-validator';

/** The caller's chat preferences (`GET/PUT /me/preferences`). */
export class ChatPreferencesDto {
  @ApiProperty({
    description:
      'Candidatos: recibir un correo cuando soporte responde y la respuesta sigue sin leer sin ninguna pestaña abierta (por omisión, sí). Sin efecto para soporte.',
  })
  email_when_away!: boolean;
}

export class UpdateChatPreferencesDto {
  @ApiProperty({ description: 'Recibir (true) o no (false) el correo cuando hay respuestas sin leer.' })
  @IsBoolean()
  email_when_away!: boolean;
}
