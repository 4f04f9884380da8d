import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class SubjectLookupDto {
  @ApiProperty({ description: "The subject's IIN; sent in a body so that it never sits in a URL or an access log", example: '791028302728' })
  @IsString()
  iin: string;
}

export class SubjectLookupResultDto {
  @ApiProperty({ description: 'The keyed pseudonym that names the subject everywhere in the ledger' }) subjectId: string;
  @ApiProperty({ description: 'Whether the ledger holds any event about the subject' }) known: boolean;
}
