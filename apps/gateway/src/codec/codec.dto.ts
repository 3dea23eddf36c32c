import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_CODEC_PAYLOADS } from '@levensloop/temporal';

/** A Temporal payload as the remote codec protocol carries it (the proto's JSON form). */
export class CodecPayloadDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'byte' },
    description: 'Metadata entries, each base64 (e.g. encoding: base64 of "json/plain" or "binary/encrypted", encryption-key-id)',
    example: { encoding: 'anNvbi9wbGFpbg==' },
  })
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'string', format: 'byte', description: 'The payload bytes, base64', example: 'eyJhIjoxfQ==' })
  data?: string;
}

/** The body of both requests and both answers of the codec server. */
export class CodecPayloadsDto {
  @ApiProperty({ type: [CodecPayloadDto], maxItems: MAX_CODEC_PAYLOADS })
  payloads: CodecPayloadDto[];
}
