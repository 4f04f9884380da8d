import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { LANGS, type Lang } from '@derbes/register';
import { SHREDDED_DESCRIPTION, ShreddedDto } from '../data-keys/shredded.dto';

/** Query parameters of GET /v1/subjects/{subjectId}/inventory; all strings as they come from the URL. */
export class SubjectInventoryQueryDto {
  @ApiPropertyOptional({ enum: LANGS, description: "Language of category names (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the inventory includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

export class InventorySourceDto {
  @ApiProperty({ enum: ['subject', 'state-database', 'third-party'] }) kind: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Which state database or third party, when the record named one; null once the subject's data key was destroyed" })
  name?: string | null;
  @ApiPropertyOptional({ type: ShreddedDto, description: SHREDDED_DESCRIPTION }) shredded?: ShreddedDto;
}

export class InventoryRecipientDto {
  @ApiProperty({ type: String, nullable: true, description: "null for a person once the subject's data key was destroyed" }) name: string | null;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiPropertyOptional({ type: ShreddedDto, description: SHREDDED_DESCRIPTION }) shredded?: ShreddedDto;
}

export class InventoryCategoryDto {
  @ApiProperty({ description: "The order's category number" }) number: number;
  @ApiProperty({ description: 'The category code (slug)', example: 'medical-results' }) code: string;
  @ApiProperty({ description: 'Name in the language asked for' }) name: string;
  @ApiProperty({ description: 'Whether the ledger holds any record about this category of the subject' }) known: boolean;
  @ApiProperty({
    type: Boolean, nullable: true,
    description: 'Known to be held now: the latest record in time (occurredAt) about the category is anything but destroy or ' +
      "depersonalize. null (not known) while only the ledger's own records of carrying out the subject's requests (purpose " +
      'SUBJECT-RIGHTS: a blocking they asked for, say) name the category: they do not show the data held. False when `known` is false.',
  })
  held: boolean | null;
  @ApiProperty({ type: [InventorySourceDto], description: 'Distinct sources named by collect records, in the order they first appeared' })
  sources: InventorySourceDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Earliest occurredAt of any record' }) firstProcessedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Latest occurredAt of any record' }) lastProcessedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Latest occurredAt of a change record' }) lastChangedAt: string | null;
  @ApiProperty({ type: [InventoryRecipientDto], description: 'Distinct recipients of transfers, in the order they first appeared' })
  recipients: InventoryRecipientDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When blocked, while blocked (unblock and destroy clear it)' })
  blockedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'First destruction' }) destroyedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'First depersonalization' }) depersonalizedAt: string | null;
}

export class SubjectInventoryDto {
  @ApiProperty() subjectId: string;
  @ApiProperty({ enum: LANGS }) lang: string;
  @ApiProperty({
    type: [InventoryCategoryDto],
    description: "Every category of the owner's register in force (in its order), then any other category the ledger has records of",
  })
  categories: InventoryCategoryDto[];
  @ApiProperty({ description: 'Position in the log the inventory reflects' }) position: number;
}
