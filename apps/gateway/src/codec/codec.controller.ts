import { timingSafeEqual } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { LevensloopConfig } from '@levensloop/config';
import { CodecRequestError, handleCodecRequest, type CodecOperation } from '@levensloop/temporal';
import { CurrentPrincipal, Public, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { ProblemException } from '../common/problem';
import { CONFIG } from '../config.provider';
import { TemporalService } from '../temporal/temporal.provider';
import { CodecDecodeService, WEB_UI_PURPOSE } from './codec-decode.service';
import { CodecPayloadsDto } from './codec.dto';

const DESCRIPTION =
  "Temporal's remote codec protocol: Temporal's Web UI and `temporal workflow show --codec-endpoint` send the payloads of a history here and show them decrypted. " +
  'Payloads that are not encrypted come back as they are. A payload that does not decrypt (altered, or encrypted with a key that is not configured) is refused with 422 and nothing is answered for the others.';
const DECODE_LOGGED =
  ' Every decode is audited (`GET /audit?action=codec.decode`): who, the namespace (`X-Namespace`), the purpose, how many payloads, how many were encrypted and decrypted, under which key ids, decoded or refused and why; never a payload. ' +
  'Each journey the decrypted payloads belong to (the subject named in them, else the one the read model knows) gets a row in the data-access log (actor kind `auditor`, source `temporal-history`, the purpose), once per reader, purpose and hour since a history is decoded in many requests, so its citizen reads that an auditor read their journey\'s history; a subject named outside any journey gets a row without a journey; payloads that identify nobody are in the audit row only.';
const PURPOSE_HEADER = {
  name: 'X-Purpose',
  description: 'Why you decode (3 to 500 characters; percent-encode what is not ASCII): kept in the audit log and shown to the citizens whose data the decode discloses. The Temporal CLI sends it with `--codec-header "X-Purpose=…"`.',
};

/**
 * The codec server: payloads to and from Temporal are encrypted (libs/temporal), so only those
 * who may read personal data see them in clear: auditors with their access token, or Temporal's
 * Web UI in development through a secret path (the Web UI of `temporal server start-dev` sends no token).
 * Every decode is logged with its purpose before it is answered (CodecDecodeService); encodes
 * disclose nothing and are not.
 */
@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(
    private readonly temporal: TemporalService,
    private readonly decoder: CodecDecodeService,
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
  @ApiOperation({ summary: 'Decrypt payloads (auditors, with a purpose)', description: `${DESCRIPTION}${DECODE_LOGGED} Without X-Purpose, 400.` })
  @ApiHeader({ ...PURPOSE_HEADER, required: true })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 403, 422)
  decode(@CurrentPrincipal() p: Principal, @Headers('x-namespace') namespace: string | undefined, @Headers('x-purpose') purpose: string | undefined, @Body() body: unknown) {
    return this.decoder.decode({ actor: p.sub, via: 'token', namespace, purpose }, body);
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
  @ApiOperation({
    summary: 'Decrypt payloads (the Web UI, with the secret path)',
    description: `${DESCRIPTION}${DECODE_LOGGED} The path segment is TEMPORAL_CODEC_SERVER_SECRET; without it configured, or with another value, 401. The caller is recorded as \`temporal-ui\`, and without X-Purpose (the Web UI sends no headers of its own) the purpose as "${WEB_UI_PURPOSE}".`,
  })
  @ApiParam({ name: 'access', description: 'TEMPORAL_CODEC_SERVER_SECRET' })
  @ApiHeader({ ...PURPOSE_HEADER, required: false })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 401, 422)
  decodeWithSecret(@Param('access') access: string, @Headers('x-namespace') namespace: string | undefined, @Headers('x-purpose') purpose: string | undefined, @Body() body: unknown) {
    this.checkSecret(access);
    return this.decoder.decode({ actor: 'temporal-ui', via: 'secret-path', namespace, purpose }, body);
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
