import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsUUID, Matches } from 'class-validator';

const SIZE = /^(0|[1-9]\d{0,14})$/;

/** GET /v1/integrity/inclusion */
export class InclusionQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The event (a record\'s eventId, or any event id of the log)' })
  @IsDefined() @IsUUID('all')
  eventId: string;

  @ApiProperty({ description: 'The size of the tree to prove inclusion in (a signed head\'s treeSize)', example: '1000' })
  @IsDefined() @Matches(SIZE, { message: 'treeSize must be a whole number' })
  treeSize: string;
}

/** GET /v1/integrity/consistency */
export class ConsistencyQueryDto {
  @ApiProperty({ description: 'The older tree size', example: '1000' })
  @IsDefined() @Matches(SIZE, { message: 'from must be a whole number' })
  from: string;

  @ApiProperty({ description: 'The newer tree size', example: '2000' })
  @IsDefined() @Matches(SIZE, { message: 'to must be a whole number' })
  to: string;
}

/** GET /v1/integrity/tree-heads/{size} */
export class TreeHeadSizeParams {
  @ApiProperty({ description: 'Tree size', example: '1000' })
  @Matches(SIZE, { message: 'size must be a whole number' })
  size: string;
}

export class TreeHeadDto {
  @ApiProperty({ description: 'Events covered: the first treeSize events of the log' }) treeSize: number;
  @ApiProperty({ description: 'RFC 9162 root hash of those events, hex' }) rootHash: string;
  @ApiProperty({ description: 'When it was signed, ISO 8601 UTC with milliseconds' }) timestamp: string;
  @ApiProperty({ description: 'Which signing key (GET /v1/integrity/keys)' }) keyId: string;
  @ApiProperty({ description: 'Ed25519 signature of the canonical JSON of the four fields above, hex (libs/integrity/CANONICAL.md)' }) signature: string;
  @ApiProperty({ description: 'Where this head itself was appended in the log' }) position: number;
}

export class PublicKeyDto {
  @ApiProperty() keyId: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'SPKI PEM of the Ed25519 public key' }) publicKeyPem: string;
  @ApiProperty() createdAt: string;
}

export class InclusionDto {
  @ApiProperty() eventId: string;
  @ApiProperty() position: number;
  @ApiProperty({ description: 'position - 1' }) leafIndex: number;
  @ApiProperty() treeSize: number;
  @ApiProperty({ description: 'SHA-256(0x00 || canonical event bytes), hex' }) leafHash: string;
  @ApiProperty() rootHash: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion proof, hex hashes from the leaf up' }) proof: string[];
}

export class ConsistencyDto {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty() fromRoot: string;
  @ApiProperty() toRoot: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 consistency proof, hex hashes' }) proof: string[];
}
