export * from './register.model';
export { RegisterSchemaError } from './register-schema-error';
export { parseRegister } from './register.schema';
export { DAYS_AFTER_PUBLICATION, effectiveFromPublication } from './effective-date';
export {
  KZ_UTC_OFFSET_MINUTES,
  RegisterCatalog,
  type CategoryRef,
  type PurposeRef,
  type RegisterCatalogOptions,
} from './register-catalog';
export { loadRegistersFile } from './register-file';
export { BUILT_IN_REGISTERS, ORDER_328_O } from './builtin';
export { retentionFor, type RetentionPeriod } from './retention';
export { builtInSubjectRights, parseSubjectRights, type SubjectRight } from './subject-rights';
export { CODE_KINDS, CodeNames, loadCodeNamesFile, parseCodeNames, type CodeKind, type CodeNamesData } from './code-names';
