import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** `GET /life-events?status=published`: the latest published version of each (what a journey starts on now). */
export class LifeEventListQuery {
  @ApiPropertyOptional({ enum: ['published'], description: 'published: the latest published version of each life event (a newer draft does not hide it); left out: the latest version, whatever its status' })
  @IsOptional()
  @IsIn(['published'], { message: "status is 'published' (or left out for the latest version of each, whatever its status)" })
  status?: 'published';
}
