import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { RegisterTemplateDto, TemplatesQuery } from './notifications.dto';
import { TemplatesService } from './templates.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notification-templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @Roles('agency-admin', 'catalog-admin')
  @ApiOperation({
    summary: 'Register the next version of a template (category, language): in force for the next messages',
    description: 'The placeholders must be among those the category provides; every problem is listed at its pointer (/category, /language, /subject, /body, /sms) and nothing is stored.',
  })
  @ApiBody({ type: RegisterTemplateDto })
  @ApiProblems(400, 403, 422)
  async register(@CurrentPrincipal() p: Principal, @Body() dto: RegisterTemplateDto, @Res({ passthrough: true }) res: Response) {
    const saved = await this.templates.register(p, dto);
    res.status(201).setHeader('Location', `/notification-templates/${encodeURIComponent(saved.category)}/${saved.language}`);
    return saved;
  }

  @Get()
  @Roles('agency-admin', 'catalog-admin', 'caseworker', 'auditor')
  @ApiOperation({ summary: 'Templates per category and language: the default and every registered version, the one in force marked active' })
  @ApiProblems(400, 403)
  list(@Query() q: TemplatesQuery) {
    return this.templates.list(q);
  }

  @Get(':category/:language')
  @Roles('agency-admin', 'catalog-admin', 'caseworker', 'auditor')
  @ApiOperation({ summary: 'The template in force for a category and language, with the placeholders it may use' })
  @ApiParam({ name: 'category', example: 'journey.started' })
  @ApiParam({ name: 'language', example: 'nl' })
  @ApiProblems(403, 404)
  active(@Param('category') category: string, @Param('language') language: string) {
    return this.templates.active(category, language);
  }
}
