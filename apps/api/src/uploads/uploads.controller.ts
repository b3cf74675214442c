import { Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ErrorResponseDto,
} from '@support-chat/chat-domain';
import type { Response } from 'express';

import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { UserEntity } from '../users/user.entity';
import { UploadDto, UploadRequestDto } from './dto/upload.dto';
import { UploadAccessGuard } from './upload-access.guard';
import { UploadErrors } from './uploads.errors';
import { type ReceivedFile, UploadsService } from './uploads.service';

/**
 * The demo host's upload service (outside the chat module): the web app uploads here, then sends only
 * the returned metadata to the chat.
 */
@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  // Guards run in declaration order of the metadata: @Authenticated() (applied first, below) and then
  // the role and size check, all before FileInterceptor reads the body.
  @UseGuards(UploadAccessGuard)
  @Authenticated()
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Sube un archivo para adjuntarlo al chat.',
    description:
      'Mismos límites que el chat (SUPPORT_CHAT_ATTACHMENT_MIMES, SUPPORT_CHAT_ATTACHMENT_MAX_BYTES). El tipo se detecta a partir del contenido. ' +
      'Devuelve los metadatos que se envían después como `attachment` del mensaje.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadRequestDto })
  @ApiCreatedResponse({ type: UploadDto })
  @ApiBadRequestResponse({
    description: 'Falta el archivo (`upload_file_required`) o el tipo no está permitido (`attachment_mime_not_allowed`).',
    type: ErrorResponseDto,
  })
  @ApiForbiddenResponse({ description: 'Rol ajeno al chat (`forbidden_role`).', type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ description: 'Archivo demasiado grande (`attachment_too_large`).', type: ErrorResponseDto })
  upload(@CurrentUser() user: UserEntity, @UploadedFile() file: ReceivedFile | undefined): Promise<UploadDto> {
    if (!file) throw UploadErrors.fileRequired();
    return this.uploads.store(file, user.id);
  }

  @Get(':id/:name')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Identificador aleatorio del archivo.' })
  @ApiParam({ name: 'name', type: String, description: 'Nombre del archivo (solo informativo; el archivo se identifica por `id`).' })
  @ApiOperation({ summary: 'Descarga un archivo subido (URL no adivinable; sin token, para poder mostrarla en <img>).' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'El archivo, con Content-Disposition y X-Content-Type-Options: nosniff.' })
  @ApiNotFoundResponse({ description: 'No existe (`upload_not_found`).', type: ErrorResponseDto })
  async download(@Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { stream, meta, inline } = await this.uploads.open(id);
    response.set({
      'Content-Type': meta.mime_type,
      'Content-Length': String(meta.size_bytes),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${asciiFallback(meta.name)}"; filename*=UTF-8''${encodeRfc5987(meta.name)}`,
      'X-Content-Type-Options': 'nosniff',
      // Opened directly, the file can never run script or load anything.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'private, max-age=86400, immutable',
    });
    return new StreamableFile(stream);
  }
}

function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
}

function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
