import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class FieldProblemResponse {
  @ApiProperty({ example: '/nodes/2/dependsOn/0', description: 'JSON pointer into the request' }) path: string;
  @ApiProperty({ example: "depends on unknown step 'vta'; use the key of a node of this life event" }) message: string;
}

/** RFC 9457 problem details, as rendered by the gateway's filter (for the OpenAPI document). */
export class ProblemResponse {
  @ApiProperty({ example: 'https://levensloop.dev/problems/validation' }) type: string;
  @ApiProperty({ example: 'Invalid definition' }) title: string;
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty({ example: 'The life event has 2 problems to fix; nothing was saved.' }) detail: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemResponse], description: 'Every problem, not only the first' }) errors?: FieldProblemResponse[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request has the wrong shape (types, unknown fields)',
  401: 'Not authenticated (no valid token or signature)',
  403: 'The caller may not manage this',
  404: 'Not found',
  409: 'Not possible in the current status (e.g. published versions are immutable)',
  422: 'The definition is not valid: every problem is listed in errors',
  429: 'Too many requests: wait the seconds Retry-After gives',
  503: 'A service this needs is not available or not configured',
};

/** Documents the problem+json answers of an endpoint. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ProblemResponse })));
