import { Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { LettersService } from './letters.service';
import { LettersQuery } from './notifications.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('letters')
export class LettersController {
  constructor(private readonly letters: LettersService) {}

  @Get()
  @Roles('print-service', 'caseworker', 'auditor')
  @ApiOperation({ summary: 'Letters, oldest first; ?printed=false is the print queue (the print service and auditors: all; caseworkers: the journeys of their agency)' })
  @ApiProblems(400, 403)
  list(@CurrentPrincipal() p: Principal, @Query() q: LettersQuery) {
    return this.letters.list(p, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The printable letter (PDF with the web address and its QR code), for the print service, caseworkers of the journey and the addressee' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The letter', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async pdf(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    const letter = await this.letters.pdf(p, id);
    return new StreamableFile(letter.pdf, { type: 'application/pdf', disposition: `inline; filename="letter-${letter.id}.pdf"`, length: letter.pdf.length });
  }

  @Post(':id/printed')
  @HttpCode(200)
  @Roles('print-service', 'caseworker')
  @ApiOperation({ summary: 'The print service took the letter (the first time counts; a repeat answers the same letter)' })
  @ApiProblems(403, 404)
  printed(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.letters.markPrinted(p, id);
  }
}
