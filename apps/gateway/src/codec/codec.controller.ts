import { timingSafeEqual } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { LevensloopConfig } from '@levensloop/config';
import { CodecRequestError, handleCodecRequest, type CodecOperation } from '@levensloop/temporal';
import { Public, Roles } from '../auth/decorators';
import { ApiProblems } from '../catalog/dto/problem.response';
import { ProblemException } from '../common/problem';
import { CONFIG } from '../config.provider';
import { TemporalService } from '../temporal/temporal.provider';
import { CodecPayloadsDto } from './codec.dto';

const DESCRIPTION =
  "Temporal's remote codec protocol: Temporal's Web UI and `temporal workflow show --codec-endpoint` send the payloads of a history here and show them decrypted. " +
  'Payloads that are not encrypted come back as they are. A payload that does not decrypt (altered, or encrypted with a key that is not configured) is refused with 422 and nothing is answered for the others.';

/**
 * The codec server: payloads to and from Temporal are encrypted (libs/temporal), so only those
 * who may read personal data see them in clear: auditors with their access token, or Temporal's
 * Web UI in development through a secret path (the Web UI of `temporal server start-dev` sends no token).
 */
@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {}

  @Post('encode')
  @Roles('auditor')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt payloads (auditors)', description: DESCRIPTION })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 403, 422)
  encode(@Body() body: unknown) {
    return this.run('encode', body);
  }

  @Post('decode')
  @Roles('auditor')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt payloads (auditors)', description: DESCRIPTION })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 403, 422)
  decode(@Body() body: unknown) {
    return this.run('decode', body);
  }

  @Post(':access/encode')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt payloads (the Web UI, with the secret path)', description: `${DESCRIPTION} The path segment is TEMPORAL_CODEC_SERVER_SECRET; without it configured, or with another value, 401.` })
  @ApiParam({ name: 'access', description: 'TEMPORAL_CODEC_SERVER_SECRET' })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 401, 422)
  encodeWithSecret(@Param('access') access: string, @Body() body: unknown) {
    this.checkSecret(access);
    return this.run('encode', body);
  }

  @Post(':access/decode')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt payloads (the Web UI, with the secret path)', description: `${DESCRIPTION} The path segment is TEMPORAL_CODEC_SERVER_SECRET; without it configured, or with another value, 401.` })
  @ApiParam({ name: 'access', description: 'TEMPORAL_CODEC_SERVER_SECRET' })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 401, 422)
  decodeWithSecret(@Param('access') access: string, @Body() body: unknown) {
    this.checkSecret(access);
    return this.run('decode', body);
  }

  private checkSecret(given: string) {
    const secret = this.config.gateway.codecServer.secret;
    const a = Buffer.from(given);
    if (!secret || a.length !== Buffer.byteLength(secret) || !timingSafeEqual(a, Buffer.from(secret))) {
      throw new ProblemException(401, 'This codec endpoint needs the configured secret in its path, or use /codec/encode and /codec/decode with an access token of an auditor.', { slug: 'unauthorized', title: 'Unauthorized' });
    }
  }

  private async run(operation: CodecOperation, body: unknown) {
    try {
      return await handleCodecRequest(this.temporal.codec, operation, body);
    } catch (err) {
      if (err instanceof CodecRequestError) throw new ProblemException(err.status, `The payloads cannot be ${operation}d: ${err.message}.`, { slug: err.status === 400 ? 'invalid-request' : 'payload-not-decrypted' });
      throw err;
    }
  }
}
