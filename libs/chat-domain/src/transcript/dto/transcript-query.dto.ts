import { OptionalText } from '../../validation/validators';

export class TranscriptQueryDto {
  @OptionalText('tz', 64, 'Zona horaria IANA de quien descarga (p. ej. America/Mexico_City); por omisión America/Mexico_City.', 'America/Mexico_City')
  tz?: string;
}
