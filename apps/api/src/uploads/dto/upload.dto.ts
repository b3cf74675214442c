import { ApiProperty } from '@support-chat/chat-domain';

/** A stored file, described exactly as the chat's `attachment` expects it. */
export class UploadDto {
  @ApiProperty({ description: 'URL absoluta desde la que la API sirve el archivo.', example: 'https://soporte.example.mx/api/uploads/0b9d…/captura.png' })
  url!: string;

  @ApiProperty({ description: 'Nombre saneado del archivo.', example: 'captura.png' })
  name!: string;

  @ApiProperty({ description: 'Tipo MIME detectado a partir del contenido.', example: 'image/png' })
  mime_type!: string;

  @ApiProperty({ description: 'Tamaño en bytes.', example: 48213 })
  size_bytes!: number;
}

/** The multipart body of `POST /api/uploads`, for the OpenAPI document. */
export class UploadRequestDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'El archivo (campo `file`).' })
  file!: unknown;
}
