import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { ActiveTemplateQuery, RegisterTemplateDto, TemplatesQuery } from './notifications.dto';
import { TemplatesService } from './templates.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notification-templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @Roles('agency-admin', 'catalog-admin')
  @ApiOperation({
    summary: 'Register the next version of a template (category, language, agency or global): in force for the next messages of its scope',
    description:
      "Scope: an agency admin registers for its own agency only (the agency of its token; another agency or `agency: null` is refused with 403); its steps' " +
      'messages use it. Catalog admins register the global template (no agency: for every agency without its own, and the journey\'s own messages) or one for a named agency. ' +
      'A message uses the template of the agency whose step caused it, else the global one, else the built-in default. ' +
      'The placeholders must be among those the category provides; every problem is listed at its pointer (/category, /language, /subject, /body, /sms, /agency: an unknown agency, ' +
      'or an agency template for a category about the whole journey) and nothing is stored. The audit log names the scope.',
  })
  @ApiBody({ type: RegisterTemplateDto })
  @ApiProblems(400, 403, 422)
  async register(@CurrentPrincipal() p: Principal, @Body() dto: RegisterTemplateDto, @Res({ passthrough: true }) res: Response) {
    const saved = await this.templates.register(p, dto);
    const scope = saved.agency ? `?agency=${encodeURIComponent(saved.agency)}` : '';
    res.status(201).setHeader('Location', `/notification-templates/${encodeURIComponent(saved.category)}/${saved.language}${scope}`);
    return saved;
  }

  @Get()
  @Roles('agency-admin', 'catalog-admin', 'caseworker', 'auditor')
  @ApiOperation({
    summary: 'Templates per category and language: the default and every registered version with its scope (agency or global), the ones in force marked active',
    description:
      "`scope`: `agency` (with `agency`: the messages that agency's steps cause) or `global`. `active`: what the messages of its scope use now. " +
      "With `agency`: the default, the global versions and that agency's own, `active` marking what that agency's messages use; an unknown agency is 404.",
  })
  @ApiProblems(400, 403, 404)
  list(@Query() q: TemplatesQuery) {
    return this.templates.list(q);
  }

  @Get(':category/:language')
  @Roles('agency-admin', 'catalog-admin', 'caseworker', 'auditor')
  @ApiOperation({
    summary: "The template in force for a category and language (with `agency`: for that agency's steps' messages), its scope and the placeholders it may use",
    description: 'An unknown category, language or agency is 404.',
  })
  @ApiParam({ name: 'category', example: 'journey.started' })
  @ApiParam({ name: 'language', example: 'nl' })
  @ApiProblems(400, 403, 404)
  active(@Param('category') category: string, @Param('language') language: string, @Query() q: ActiveTemplateQuery) {
    return this.templates.active(category, language, q.agency);
  }
}
