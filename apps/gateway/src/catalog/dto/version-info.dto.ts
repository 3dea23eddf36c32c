import { ApiProperty } from '@nestjs/swagger';
import { VERSION_STATUSES, type VersionStatus } from '@levensloop/domain';

/** Response-only fields of a versioned catalog entry (for the OpenAPI document). */
export class VersionInfoDto {
  @ApiProperty({ example: 1, minimum: 1 }) version: number;
  @ApiProperty({ enum: VERSION_STATUSES, description: 'draft → published → retired; immutable once published' }) status: VersionStatus;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) retiredAt: Date | null;
}
