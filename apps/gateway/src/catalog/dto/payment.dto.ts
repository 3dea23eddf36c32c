import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, MaxLength } from 'class-validator';
import type { PaymentSpec, Translations } from '@levensloop/domain';

/* Types and shapes only: the amount, the four purposes and the durations are checked by the domain validation (422). */
export class PaymentSpecDto implements PaymentSpec {
  @ApiProperty({ example: '45.00', description: 'Euro as a decimal text with at most two decimals, more than 0.00 and at most 10000.00' }) @IsString() @MaxLength(20) amount: string;

  @ApiProperty({
    example: { nl: 'Retributie omgevingsvergunning', fr: "Redevance permis d'environnement", de: 'Gebühr Umgebungsgenehmigung', en: 'Environment permit fee' },
    description: 'What the citizen pays for, in nl, fr, de and en (shown on the payment page and in the messages)',
  })
  @IsObject()
  purpose: Translations;

  @ApiProperty({ example: 'P7D', description: 'How long a payment link stays valid (ISO-8601, one minute to 90 days)' }) @IsString() @MaxLength(64) linkValidFor: string;

  @ApiProperty({ example: 'P2D', description: 'When before the link expires the citizen is reminded, once (shorter than linkValidFor)' }) @IsString() @MaxLength(64) reminderBefore: string;
}
