import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { MandatesService } from './mandates.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/mandates')
export class MandatesController {
  constructor(private readonly mandates: MandatesService) {}

  @Get()
  @Roles('citizen')
  @ApiOperation({ summary: 'The mandates I hold (e.g. for my child), and those others hold for me; only valid ones' })
  list(@CurrentPrincipal() p: Principal) {
    return this.mandates.list(p);
  }
}
