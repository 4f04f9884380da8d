import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI of `Shredded` (shown-texts.ts). */
export class ShreddedDto {
  @ApiProperty({
    type: String, nullable: true, format: 'date-time',
    description: "When the subject's data key was destroyed; null when this key store does not have the key at all (lost, or not restored)",
  })
  destroyedAt: string | null;

  @ApiProperty({ type: [String], description: 'The fields shown as null because their text can no longer be read', example: ['note', 'recipient.name'] })
  fields: readonly string[];
}

export const SHREDDED_DESCRIPTION =
  "Present only when crypto-shredding made some of this entry's texts unreadable (the subject's data key was destroyed): " +
  'those texts are null and named here. The entry itself (operation, categories, purpose, time) stays readable.';
